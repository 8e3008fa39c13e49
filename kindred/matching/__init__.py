"""The matching engine: plain Python (no Django), proposing and assigning peer supporters."""

from kindred.matching.assignment import (
    assign,
    greedy_assign,
    shortlist,
    stable_assign,
    total_score,
)
from kindred.matching.model import Proposal, Request, Supporter
from kindred.matching.scoring import ineligibility, propose, score

__all__ = [
    "Proposal",
    "Request",
    "Supporter",
    "assign",
    "greedy_assign",
    "ineligibility",
    "propose",
    "score",
    "shortlist",
    "stable_assign",
    "total_score",
]
