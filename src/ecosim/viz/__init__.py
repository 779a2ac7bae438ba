"""The browser view for presenters: a Mesa SolaraViz page (``ecosim viz``).

Nothing in the model imports this package; it needs the ``viz`` extra
(``pip install 'ecosim[viz]'``).
"""
