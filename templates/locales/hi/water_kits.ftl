# जल गुणवत्ता (मुद्दा 25): फ़ील्ड टेस्ट किट का भंडार, आँकड़े, एमआईएस निर्यात।
wq-kits-title = फ़ील्ड टेस्ट किट भंडार
wq-kits-none = अभी तक कोई किट या रीफ़िल प्राप्त नहीं हुआ।
wq-kit-tests-left = { $count ->
    [one] बिना समाप्त हुई किटों में एक जाँच बची है।
   *[other] बिना समाप्त हुई किटों में { $count } जाँचें बची हैं।
}
wq-kit-low = रीफ़िल कम हो रहे हैं: { $below } से कम जाँचें बची हैं। खंड से रीफ़िल माँगें।
wq-kit-kind-kit = किट
wq-kit-kind-refill = रीफ़िल पैक
field-wq-kit-kind = क्या प्राप्त हुआ
field-wq-kit-received-on = प्राप्ति की तारीख़
field-wq-kit-tests = कितनी जाँचें हो सकती हैं
field-wq-kit-supplied-by = किसने दिया
wq-kit-tests-hint = किट या रीफ़िल पैक से कितनी जाँचें हो सकती हैं, जैसा उस पर छपा है।
wq-kit-used = उपयोग हुईं
wq-kit-left = बची हैं
wq-kit-expired-badge = समाप्त
wq-kit-expiring-badge = जल्द समाप्त
wq-kit-receive-title = प्राप्त किट या रीफ़िल दर्ज करें
wq-kit-batch-taken = यह बैच संख्या इस ग्राम पंचायत में पहले ही प्राप्त हो चुकी है।
wq-kit-expires-before-received = समाप्ति की तारीख़ प्राप्ति के दिन से पहले नहीं हो सकती।
flash-wq-kit-saved = किट भंडार अद्यतन हो गया।
audit-entity-water_kit_batch = जाँच किट बैच
audit-detail-water-kit = { $batch } ({ $kind }, { $tests } जाँचें)
reminder-ftk_refills_low = { $label } में फ़ील्ड टेस्ट किट के रीफ़िल कम हो रहे हैं।
reminder-ftk_kits_expiring = फ़ील्ड टेस्ट किट बैच { $label } जल्द समाप्त होगा और उसमें अभी जाँचें बची हैं।
wq-figures-title = जल गुणवत्ता के आँकड़े
wq-figures-season = इस मौसम: { $from } से { $to } तक
wq-figures-gp = ग्राम पंचायत
wq-figures-points-tested = इस मौसम जाँचे गए नमूना स्थान
wq-figures-tests = इस मौसम की जाँचें
wq-figures-within = मानक के भीतर
wq-figures-failed = मानक में विफल
wq-figures-incidents-open = खुली संदूषण घटनाएँ
wq-figures-tests-overdue = समय से पीछे जाँचें
wq-export-csv = जाँचें डाउनलोड करें (जल गुणवत्ता एमआईएस हेतु सीएसवी)
wq-export-bad-date = तारीख़ें वर्ष-माह-दिन रूप में लिखें (जैसे 2026-12-07)।
report-water-points-tested = महीने में जाँचे गए नमूना स्थान
report-water-tests = महीने की जल जाँचें

# issue 25 item 9: incidents and overdue tests in the water-quality figures (field/wqfin)
wq-figures-days-to-retest = पता चलने से सफल पुनः जाँच तक के दिन
wq-figures-days-mean = औसतन { $days } दिन ({ $count } घटनाएँ बंद)
wq-figures-age-0-7 = 7 दिन तक
wq-figures-age-8-30 = 8–30 दिन
wq-figures-age-31-90 = 31–90 दिन
wq-figures-age-91 = 90 दिन से अधिक
