"""The enterprise's to-do dashboard (工作台): one read that gathers, for the caller's own
enterprise, what the safety officer has to look at today.

- the current four-color grade with the rules that set it (risks), and the current class with
  its explanation (classification);
- open hidden dangers past their deadline and due within the next days (dangers);
- returned hazard-source filings with the regulator's reasons, filings past their 15-day
  deadline, and major hazard sources whose evaluation is missing, overdue or due soon (hazards);
- the caller's unread notifications and the latest ones.

It owns no data: the service asks each domain's service and never another domain's api. What a
role sees is decided here (`rules.sections_for`): enterprise staff get the reduced dashboard, the
sections they act on; the sections they do not get are null. Everything is read in the caller's
scope, so another enterprise's rows cannot appear.
"""
