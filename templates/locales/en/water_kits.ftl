# Water quality (issue 25): FTK kit stock, the figures, the MIS export.
wq-kits-title = Field test kit stock
wq-kits-none = No kit or refill received yet.
wq-kit-tests-left = { $count ->
    [one] One test left in kits that have not expired.
   *[other] { $count } tests left in kits that have not expired.
}
wq-kit-low = Refills are running low: fewer than { $below } tests left. Ask the block for refills.
wq-kit-kind-kit = Kit
wq-kit-kind-refill = Refill pack
field-wq-kit-kind = Received
field-wq-kit-received-on = Received on
field-wq-kit-tests = Tests it holds
field-wq-kit-supplied-by = Supplied by
wq-kit-tests-hint = How many tests the kit or refill pack can do, as printed on it.
wq-kit-used = Used
wq-kit-left = Left
wq-kit-expired-badge = expired
wq-kit-expiring-badge = expires soon
wq-kit-receive-title = Record a kit or refill received
wq-kit-batch-taken = This batch number has already been received in this GP.
wq-kit-expires-before-received = The expiry date cannot be before the day it was received.
flash-wq-kit-saved = The kit stock is updated.
audit-entity-water_kit_batch = Test kit batch
audit-detail-water-kit = { $batch } ({ $kind }, { $tests } tests)
reminder-ftk_refills_low = Field test kit refills are running low in { $label }.
reminder-ftk_kits_expiring = Field test kit batch { $label } expires soon and still has tests left.
wq-figures-title = Water-quality figures
wq-figures-season = This season: { $from } to { $to }
wq-figures-gp = Gram Panchayat
wq-figures-points-tested = Sampling points tested this season
wq-figures-tests = Tests this season
wq-figures-within = Within the standard
wq-figures-failed = Failed the standard
wq-figures-incidents-open = Open contamination incidents
wq-figures-tests-overdue = Tests overdue
wq-export-csv = Download the tests (CSV for the water-quality MIS)
wq-export-bad-date = Write the dates as YYYY-MM-DD.
report-water-points-tested = Sampling points tested in the month
report-water-tests = Water tests in the month

# issue 25 item 9: incidents and overdue tests in the water-quality figures (field/wqfin)
wq-figures-days-to-retest = Days from detection to a passing re-test
wq-figures-days-mean = { $days } days on average ({ $count ->
    [one] one incident closed
   *[other] { $count } incidents closed
})
wq-figures-age-0-7 = up to 7 days
wq-figures-age-8-30 = 8–30 days
wq-figures-age-31-90 = 31–90 days
wq-figures-age-91 = over 90 days
