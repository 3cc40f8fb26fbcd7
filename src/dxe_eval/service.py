"""Service requests: what the rules, the thresholds, the ruleset and the index share.

One home for the kinds of request (:data:`REQUEST_KINDS`), the completion limits per
kind (:data:`DEFAULT_COMPLETION_DAYS`, the ruleset's ``[limits] completion_days``), the
response limit (:data:`DEFAULT_RESPONSE_DAYS`) and the test of a late first response
(:func:`late_expr`), so that no plugin module imports another to learn them.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from dxe_eval.schema import choice

#: the kinds of service request, with the words a file may use for each
REQUEST_KINDS: Final = choice(
    ("咨询", ("consult", "inquiry")),
    ("求助", ("help",)),
    ("建议", ("suggestion",)),
    ("投诉", ("complaint",)),
    ("举报", ("report",)),
    ("服务", ("service",)),
)

#: completion limits in working days per kind of request (12345 practice)
DEFAULT_COMPLETION_DAYS: Final = {
    "咨询": 3,
    "求助": 7,
    "建议": 7,
    "投诉": 15,
    "举报": 15,
    "服务": 15,
}

#: the derived column of the requests: received within the evaluation period (worked out
#: once, in the index stage, for every rule and threshold that counts requests)
RECEIVED_IN_PERIOD: Final = "received_in_period"

#: working days after receipt within which the first response must come
DEFAULT_RESPONSE_DAYS: Final = 2


def late_expr(days: int) -> pl.Expr:
    """A request is late: no response recorded, or more than ``days`` working days taken."""
    return pl.col("response_wd").is_null() | (pl.col("response_wd") > days)
