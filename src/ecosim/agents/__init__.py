"""The agents of a cluster, one kind per module."""

from ecosim.agents.branch import Branch
from ecosim.agents.firm import Fate, Firm, Origin
from ecosim.agents.hospital import Hospital
from ecosim.agents.hub import HubOrganization
from ecosim.agents.incubator import Incubator
from ecosim.agents.medtech import Medtech
from ecosim.agents.pharma import Pharma, PharmaSite
from ecosim.agents.startup import Startup
from ecosim.agents.university import University
from ecosim.agents.vc import VentureCapital

__all__ = [
    "Branch",
    "Fate",
    "Firm",
    "Hospital",
    "HubOrganization",
    "Incubator",
    "Medtech",
    "Origin",
    "Pharma",
    "PharmaSite",
    "Startup",
    "University",
    "VentureCapital",
]
