"""The agents of a cluster, one kind per module."""

from ecosim.agents.hospital import Hospital
from ecosim.agents.hub import HubOrganization
from ecosim.agents.incubator import Incubator
from ecosim.agents.pharma import Pharma
from ecosim.agents.startup import Startup
from ecosim.agents.university import University
from ecosim.agents.vc import VentureCapital

__all__ = [
    "Hospital",
    "HubOrganization",
    "Incubator",
    "Pharma",
    "Startup",
    "University",
    "VentureCapital",
]
