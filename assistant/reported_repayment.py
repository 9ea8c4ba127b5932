"""A repayment the customer says they made, matched against the account's repayment records.

"周四晚上用银行转账还了4500" is a report, not a hypothesis: the answer says which record it is
(and how that record stands), or that no such record exists, so the customer never reads a
status that ignores what they just told us.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from assistant.nlu.model import ReportedRepayment
from tools.inputs import SHANGHAI, to_local
from tools.snapshot import Repayment, Snapshot


@dataclass(frozen=True)
class RepaymentMatch:
    """The record that best fits the report, and which of the reported details it contradicts.

    `record` is None when the account has no repayment record at all up to now, or none that
    agrees with the report on anything it states.
    """

    reported: ReportedRepayment
    record: Repayment | None
    amount_differs: bool = False
    channel_differs: bool = False
    day_differs: bool = False

    @property
    def exact(self) -> bool:
        return self.record is not None and not (self.amount_differs or self.channel_differs or self.day_differs)


def match_reported(reported: ReportedRepayment, snapshot: Snapshot, zone: tzinfo = SHANGHAI) -> RepaymentMatch:
    """The record the customer most likely means: most agreeing details, then the latest.

    A record that agrees on none of the stated details is no match: "I paid 3,000 yesterday"
    against a single 8,000 transfer of last month is a repayment we cannot see.
    """
    records = [r for r in snapshot.repayments if r.paid_at <= snapshot.as_of]
    if not records:
        return RepaymentMatch(reported, None)
    best = max(records, key=lambda r: (_agreements(reported, r, zone), r.paid_at))
    stated = sum(x is not None for x in (reported.amount, reported.channel, reported.day))
    if stated and _agreements(reported, best, zone) == 0:
        return RepaymentMatch(reported, None)
    return RepaymentMatch(
        reported,
        best,
        amount_differs=reported.amount is not None and reported.amount != best.amount,
        channel_differs=reported.channel is not None and reported.channel != best.channel,
        day_differs=reported.day is not None and reported.day != to_local(best.paid_at, zone).date(),
    )


def _agreements(reported: ReportedRepayment, record: Repayment, zone: tzinfo) -> int:
    return sum((
        reported.amount is not None and reported.amount == record.amount,
        reported.channel is not None and reported.channel == record.channel,
        reported.day is not None and reported.day == to_local(record.paid_at, zone).date(),
    ))
