## पानी — हिन्दी संदेश। यहाँ की हर key ../en/main.ftl में भी होनी चाहिए। (Every key here must also exist in ../en/main.ftl.)

app-name = पानी
app-tagline = पानी समितियों के लिए जल योजना का संचालन और रखरखाव
skip-to-content = सीधे मुख्य सामग्री पर जाएँ
lang-name-en = English
lang-name-hi = हिन्दी

## नेविगेशन
nav-label = मुख्य मेनू
nav-home = होम
nav-places = स्थान
nav-admin-users = उपयोगकर्ता
nav-audit = ऑडिट लॉग
nav-account = मेरा खाता
pager-label = पेज
pager-prev = पिछला
pager-next = अगला
pager-status = पेज { $page } / { $pages } (कुल { $total })

## भूमिकाएँ और स्तर
role-admin = प्रशासक
role-district_officer = जिला अधिकारी
role-block_engineer = ब्लॉक इंजीनियर
role-secretary = पंचायत सचिव
role-member = पानी समिति सदस्य
role-lab_analyst = प्रयोगशाला विश्लेषक
level-state = राज्य
level-district = जिला
level-block = ब्लॉक
level-gp = ग्राम पंचायत
level-village = गाँव
lgd-code = LGD कोड

## सामान्य काम और फ़ील्ड
action-login = लॉग इन करें
action-logout = लॉग आउट करें
action-save = सेव करें
action-cancel = रद्द करें
action-edit = बदलें
action-filter = दिखाएँ
action-deactivate = निष्क्रिय करें
action-activate = फिर से सक्रिय करें
action-import = इम्पोर्ट करें
action-change-password = पासवर्ड बदलें
filter-search = खोजें
filter-any = कोई भी
filter-from = से
filter-to = तक
status-active = सक्रिय
status-inactive = निष्क्रिय
status-all = सभी
list-empty = दिखाने के लिए कुछ नहीं है।
field-username = यूज़रनेम
field-password = पासवर्ड
field-current-password = मौजूदा पासवर्ड
field-new-password = नया पासवर्ड
field-confirm-password = नया पासवर्ड दोबारा
field-display-name = नाम
field-role = भूमिका
field-phone = मोबाइल नंबर
field-email = ई-मेल
field-lang = भाषा
field-status = स्थिति
field-name = नाम (अंग्रेज़ी में)
field-name-hi = नाम (हिन्दी में)
field-level = स्तर
field-place = स्थान
field-place-lgd = जिस स्थान पर काम करते हैं, उसका LGD कोड
field-parent-lgd = ऊपर वाले स्थान का LGD कोड
field-csv-file = CSV फ़ाइल

## जाँच के संदेश
form-error-summary = { $count ->
    [one] इस फ़ॉर्म में एक गलती है; अभी कुछ सहेजा नहीं गया:
   *[other] इस फ़ॉर्म में { $count } गलतियाँ हैं; अभी कुछ सहेजा नहीं गया:
}
field-required = यह भरना ज़रूरी है।
field-too-long = ज़्यादा से ज़्यादा { $max } अक्षर।
field-max-chars = अधिकतम { $max } अक्षर।
field-too-long-count = अधिकतम { $max } अक्षर; इसमें { $count } हैं। छोटा करके फिर भेजें।
field-control-chars = इसमें एक छिपा हुआ नियंत्रण अक्षर है जो सहेजा नहीं जा सकता। उसे हटाइए (लिखावट दोबारा टाइप कीजिए) और फिर से भेजिए।
field-one-line = इसे एक ही पंक्ति में लिखें (बिना नई पंक्ति या टैब के)।
field-too-many = ज़्यादा से ज़्यादा { $max } प्रविष्टियाँ।
field-entry-too-long = हर प्रविष्टि ज़्यादा से ज़्यादा { $max } अक्षर की।
field-invalid-choice = दिए गए विकल्पों में से एक चुनें।
phone-invalid = 10 अंकों का भारतीय मोबाइल नंबर डालें।
email-invalid = सही ई-मेल पता डालें।
password-too-short = पासवर्ड में कम से कम { $min } अक्षर होने चाहिए।
password-too-long = पासवर्ड बहुत लंबा है।
password-mismatch = दोनों पासवर्ड एक जैसे नहीं हैं।
password-current-wrong = मौजूदा पासवर्ड सही नहीं है।

## होम
home-title = होम
home-welcome = नमस्ते, { $name }
home-your-area = आपका क्षेत्र
home-next-steps = आप क्या कर सकते हैं
home-intro-admin = आप सभी के लिए स्थान और उपयोगकर्ता खाते संभालते हैं।
home-intro-district_officer = आप अपने जिले के ब्लॉकों और ग्राम पंचायतों की देखरेख करते हैं।
home-intro-block_engineer = आप अपने ब्लॉक की ग्राम पंचायतों के काम की जाँच करते हैं।
home-intro-secretary = आप अपनी ग्राम पंचायत के पानी से जुड़े रिकॉर्ड रखते हैं।
home-intro-member = आप अपने गाँव की जल योजना के रखरखाव और खराबी का ब्योरा दर्ज करते हैं।
home-intro-lab_analyst = आप अपने जिले के नमूना स्थलों के लिए जल परीक्षण प्रयोगशाला के परिणाम दर्ज करते हैं।

## लॉग इन और खाता
login-title = लॉग इन
login-failed = यूज़रनेम या पासवर्ड गलत है।
login-throttled = बहुत बार गलत कोशिश हुई। आप { $time } बजे ({ $minutes } मिनट बाद) फिर से कोशिश कर सकते हैं।
login-help = पासवर्ड भूल गए? अपने ब्लॉक कार्यालय या प्रशासक से इसे रीसेट करने को कहें।
account-title = मेरा खाता
account-language = भाषा
account-password = पासवर्ड
account-password-help = पासवर्ड बदलने पर आप बाकी सभी फ़ोन और कंप्यूटर से लॉग आउट हो जाएँगे।
flash-logged-out = आप लॉग आउट हो गए हैं।
flash-password-changed = आपका पासवर्ड बदल गया है। बाकी सभी जगह से लॉग आउट कर दिया गया है।
login-keep = इस फ़ोन पर मुझे लॉग इन रखें ({ $days } दिन)
account-sessions = आप कहाँ-कहाँ लॉग इन हैं
account-sessions-help = कोई फ़ोन खो गया, बेच दिया या किसी और का है: उसे यहाँ से लॉग आउट करें।
session-this-device = यही फ़ोन
session-unknown-device = अनजान ब्राउज़र
session-started = लॉग इन किया
session-last-used = आखिरी बार इस्तेमाल
session-kept-until = इस तारीख तक लॉग इन रहेगा:
session-not-kept = कुछ देर इस्तेमाल न होने पर लॉग आउट हो जाएगा।
action-end-session = वहाँ लॉग आउट करें
action-end-other-sessions = बाकी सभी जगह से लॉग आउट करें
flash-session-ended-one = उस फ़ोन या कंप्यूटर से लॉग आउट कर दिया गया है।
flash-sessions-ended-others = बाकी सभी जगह से लॉग आउट कर दिया गया है।
flash-session-ended = आप लॉग आउट हो गए थे। कृपया फिर से लॉग इन करें।
flash-session-ended-kept = फ़ॉर्म भेजने से पहले आप लॉग आउट हो गए थे। फिर से लॉग इन करें: आपने जो भरा था वह सुरक्षित है।
flash-draft-discarded = रखा हुआ फ़ॉर्म हटा दिया गया है।
resume-title = क्या आपका फ़ॉर्म अभी भेजें?
resume-intro = यह फ़ॉर्म भेजने से पहले आप लॉग आउट हो गए थे, इसलिए अभी कुछ भी सेव नहीं हुआ है। आपने यह भरा था:
resume-files = फ़ोटो और फ़ाइलें नहीं रखी गईं: उन्हें जोड़ने के लिए फ़ॉर्म फिर से खोलें।
action-send-now = अभी भेजें
action-open-form = फ़ॉर्म फिर से खोलें
action-discard-draft = हटा दें
flash-language-changed = आपकी भाषा सेव हो गई है।

## उपयोगकर्ता (प्रशासक)
users-title = उपयोगकर्ता
users-search-hint = नाम, यूज़रनेम, फ़ोन या ई-मेल
user-new-title = नया उपयोगकर्ता जोड़ें
user-edit-title = उपयोगकर्ता की जानकारी बदलें
user-password-title = पासवर्ड रीसेट करें
user-password-reset-help = उपयोगकर्ता हर जगह से लॉग आउट हो जाएगा और उसे नया पासवर्ड इस्तेमाल करना होगा।
user-deactivate-title = उपयोगकर्ता को निष्क्रिय करें
user-deactivate-question = { $name } को निष्क्रिय करें? वे लॉग आउट हो जाएँगे और फिर से सक्रिय होने तक लॉग इन नहीं कर पाएँगे।
user-username-hint = 3 से 40 अक्षर: छोटे अंग्रेज़ी अक्षर, अंक, बिंदु (.), डैश (-) या अंडरस्कोर (_)।
user-place-hint = पंचायत सचिव और सदस्य: ग्राम पंचायत। ब्लॉक इंजीनियर: ब्लॉक। जिला अधिकारी: जिला (या राज्य)। प्रयोगशाला विश्लेषक: जिला। प्रशासक: खाली छोड़ें।
user-username-invalid = 3 से 40 छोटे अंग्रेज़ी अक्षर, अंक, बिंदु, डैश या अंडरस्कोर इस्तेमाल करें।
user-username-taken = यह यूज़रनेम पहले से लिया जा चुका है।
user-admin-no-place = प्रशासक हर जगह काम करता है: स्थान खाली छोड़ें।
user-place-missing = इस भूमिका के लिए ज़रूरी स्तर ({ $level }) पर इस LGD कोड का कोई सक्रिय स्थान नहीं है।
user-place-inactive = यह स्थान निष्क्रिय है।
user-cannot-deactivate-self = आप अपना खुद का खाता निष्क्रिय नहीं कर सकते।
user-role-choose = भूमिका चुनें…
user-role-required = उपयोगकर्ता की भूमिका चुनें।
field-place-search = स्थान: उसका नाम (हिंदी या अंग्रेज़ी) या LGD कोड
user-place-none-named = इस भूमिका के स्तर पर इस नाम का कोई सक्रिय स्थान नहीं है। दूसरी वर्तनी या LGD कोड आज़माएँ।
user-place-choose = इस नाम से कई स्थान मिले: नीचे एक चुनें और फिर से सहेजें।
user-place-pick = कौन-सा स्थान?
user-place-ambiguous = इस LGD कोड वाला एक राज्य और एक जिला दोनों हैं: नीचे स्तर चुनें।
user-cannot-change-own-role = आप अपनी खुद की भूमिका नहीं बदल सकते।
user-last-admin = यह आख़िरी सक्रिय प्रशासक है: पहले किसी और को प्रशासक बनाएँ।
field-place-level = उस स्थान का स्तर
user-place-level-auto = भूमिका के अनुसार
flash-user-created = उपयोगकर्ता जोड़ दिया गया है।
flash-user-saved = उपयोगकर्ता की जानकारी सेव हो गई है।
flash-user-deactivated = उपयोगकर्ता निष्क्रिय कर दिया गया है और लॉग आउट हो गया है।
flash-user-activated = उपयोगकर्ता फिर से सक्रिय है।
flash-password-reset = पासवर्ड रीसेट हो गया है और उपयोगकर्ता हर जगह से लॉग आउट हो गया है।

## स्थान
places-title = स्थान
places-search-hint = नाम या LGD कोड
place-title = स्थान
place-new-title = नया स्थान जोड़ें
place-edit-title = स्थान की जानकारी बदलें
place-deactivate-title = स्थान को निष्क्रिय करें
place-deactivate-question = { $name } को निष्क्रिय करें? यह रिकॉर्ड में बना रहेगा, लेकिन नए काम के लिए नहीं दिखेगा।
place-ancestry = यह स्थान कहाँ है
place-add-child = { $level } जोड़ें
place-parent-hint = जिला किसी राज्य में, ब्लॉक किसी जिले में, ग्राम पंचायत किसी ब्लॉक में और गाँव किसी ग्राम पंचायत में आता है। राज्य के ऊपर कोई स्थान नहीं होता।
place-level-invalid = स्तर चुनें: राज्य, जिला, ब्लॉक, ग्राम पंचायत या गाँव।
place-lgd-invalid = LGD कोड एक संख्या होती है (ज़्यादा से ज़्यादा 12 अंक)।
place-lgd-taken = इस स्तर पर किसी दूसरे स्थान का यही LGD कोड पहले से है।
place-state-no-parent = राज्य के ऊपर कोई स्थान नहीं होता: इसे खाली छोड़ें।
place-parent-missing = ऊपर वाले स्तर पर इस LGD कोड का कोई स्थान नहीं है।
flash-place-saved = स्थान सेव हो गया है।
flash-place-deactivated = स्थान निष्क्रिय कर दिया गया है।
flash-place-activated = स्थान फिर से सक्रिय है।
places-import-title = CSV से स्थान इम्पोर्ट करें
places-import-help = हर लाइन में एक स्थान: LGD कोड, नाम, हिन्दी नाम (ज़रूरी नहीं), ऊपर वाले स्थान का LGD कोड (राज्य के लिए खाली)। कॉलम के नामों वाली पहली लाइन छोड़ दी जाती है। अगर कोई भी लाइन गलत है तो कुछ भी इम्पोर्ट नहीं होगा; जिस स्थान का LGD कोड पहले से मौजूद है, उसकी जानकारी अपडेट हो जाएगी।
import-dry-run = सिर्फ़ फ़ाइल जाँचें, कुछ भी इम्पोर्ट न करें
import-checked = फ़ाइल जाँच ली गई: { $rows ->
        [one] { $rows } लाइन सही है
       *[other] { $rows } लाइनें सही हैं
    } ({ $created } नई, { $updated } अपडेट होंगी)। अभी कुछ भी इम्पोर्ट नहीं हुआ है।
import-done = { $rows ->
        [one] { $rows } लाइन इम्पोर्ट हुई
       *[other] { $rows } लाइनें इम्पोर्ट हुईं
    }: { $created } नई, { $updated } अपडेट हुईं।
import-failed = कुछ भी इम्पोर्ट नहीं हुआ। इन लाइनों को ठीक करके फिर से कोशिश करें:
import-line = लाइन
import-field = फ़ील्ड
import-problem = समस्या
import-row-unreadable = यह लाइन CSV के रूप में पढ़ी नहीं जा सकी।
import-row-columns = 2 से 4 कॉलम होने चाहिए: LGD कोड, नाम, हिन्दी नाम, ऊपर वाले स्थान का LGD कोड।
import-too-many-rows = बहुत ज़्यादा लाइनें: एक फ़ाइल में ज़्यादा से ज़्यादा { $max }।
import-empty = फ़ाइल में कोई लाइन नहीं है।
import-duplicate-in-file = यह LGD कोड फ़ाइल में दो बार आया है।

## ऑडिट लॉग
audit-title = ऑडिट लॉग
audit-when = कब
audit-who = किसने
audit-action = काम
audit-entity = रिकॉर्ड
audit-summary = क्या हुआ
audit-entity-place = स्थान
audit-entity-user = उपयोगकर्ता
audit-entity-session = सत्र
audit-entity-api_token = API टोकन
audit-action-create = बनाया
audit-action-update = बदला
audit-action-deactivate = निष्क्रिय किया
audit-action-activate = फिर से सक्रिय किया
audit-action-import = इम्पोर्ट किया
audit-action-login = लॉग इन किया
audit-action-logout = लॉग आउट किया
audit-action-login_failed = लॉग इन विफल
audit-action-password_change = अपना पासवर्ड बदला
audit-action-password_reset = पासवर्ड रीसेट किया
audit-action-token_issue = API टोकन जारी किया
audit-action-token_revoke = API टोकन रद्द किया

# audit details
# ऑडिट की हर पंक्ति पढ़ने वाले की भाषा में। किसी व्यक्ति का लिखा (नाम, कारण, शीर्षक) और
# नंबर (रसीद, कनेक्शन, खराबी) जैसे हैं वैसे ही; { $role }, { $level }, { $status }… पहले से
# पढ़ने वाले की भाषा में।
audit-detail-login = लॉग इन किया
audit-detail-login-kept = लॉग इन किया (इस फ़ोन पर लॉग इन रहेगा)
audit-detail-login-failed = लॉग इन नहीं हो सका
audit-detail-logout = लॉग आउट किया
audit-detail-session-ended = खाते के पेज से सत्र { $session } बंद किया
audit-detail-sessions-ended = खाते के पेज से बाकी { $count } सत्र बंद किए
audit-detail-email-pref = ई-मेल से याद दिलाना: { $pref }
audit-detail-language = भाषा बदलकर { $lang } की
audit-detail-password-set = पासवर्ड बदला; { $count } सत्र बंद हुए
audit-detail-token-issued = API टोकन जारी किया
audit-detail-token-revoked = API टोकन रद्द किया
audit-detail-user = { $username } ({ $role })
audit-detail-user-name = { $username }
audit-detail-user-cli = { $username } ({ $role }), कमांड लाइन से
audit-detail-user-name-cli = { $username }, कमांड लाइन से
audit-detail-place = { $level } { $name } (LGD { $lgd })
audit-detail-place-name = { $level } { $name }
audit-detail-place-import = { $level }: { $rows } पंक्तियाँ, { $created } जोड़े, { $updated } बदले
audit-detail-import = { $rows } पंक्तियाँ: { $created } जोड़ी गईं, { $updated } बदली गईं, { $unchanged } जैसी थीं वैसी रहीं
audit-detail-scheme = { $code } { $name }
audit-detail-scheme-status = { $code } अब { $status } है: { $reason }
audit-detail-asset = { $name } ({ $kind })
audit-detail-asset-status = { $name } ({ $kind }) अब: { $status }
audit-detail-asset-replaced = { $name } ({ $kind }) की जगह परिसंपत्ति { $new } लगाई
audit-detail-asset-retired = { $name } ({ $kind }): { $reason }
audit-detail-plan = योजना: { $title }
audit-detail-plans-from-templates = { $what } के लिए { $count } सामान्य योजनाएँ जोड़ीं
audit-detail-task-done = { $title }, { $day } को किया{ $photos ->
    [0] {""}
   *[other] , { $photos } फ़ोटो
}
audit-detail-task-done-out-of-range = { $title }, { $day } को किया, रीडिंग सीमा से बाहर{ $photos ->
    [0] {""}
   *[other] , { $photos } फ़ोटो
}
audit-detail-task-skipped = कारण: { $reason }
audit-detail-work = { $asset }: { $title }
audit-detail-breakdown = { $no }: { $category }
audit-detail-breakdown-moved = { $no }: { $from } → { $to }
audit-detail-breakdown-visit = { $no }: तकनीकी निरीक्षण माँगा
audit-detail-breakdown-level = { $no }: एस्केलेशन स्तर बदला
audit-detail-household = कनेक्शन { $no }, { $name }
audit-detail-tariff = { $month } से जल शुल्क दर
audit-detail-demands-raised = { $month } की { $count } माँगें
audit-detail-demands-cancelled = { $month } की { $count } माँगें रद्द कीं: { $reason }
audit-detail-late-fees = { $count } माँगों पर विलंब शुल्क
audit-detail-demands-automatic-on = { $gp } के लिए अपने-आप माँग चालू
audit-detail-demands-automatic-off = { $gp } के लिए अपने-आप माँग बंद
audit-detail-payment = रसीद { $no }, { $amount }
audit-detail-payment-cancelled = रसीद { $no }, { $amount } रद्द की: { $reason }
audit-detail-cashbook-entry = { $kind }: { $head }, { $amount }
audit-detail-cashbook-cancel = { $kind }: { $head }, { $amount } रद्द की: { $reason }
audit-detail-cashbook-work = { $kind }: { $head }, { $amount }, { $notes } के लिए
audit-detail-committee = { $name }
audit-detail-committee-member-added = { $committee }: { $name } को जोड़ा
audit-detail-committee-term-ended = { $committee }: एक सदस्य का कार्यकाल खत्म
audit-detail-committee-reconstituted = { $committee } का पुनर्गठन: { $count } कार्यकाल खत्म
audit-detail-meeting = { $committee }, { $day } की बैठक
audit-detail-meeting-attendance = उपस्थिति दर्ज की
audit-detail-meeting-minutes = कार्यवाही लिखी
audit-detail-meeting-approved = कार्यवाही अनुमोदित की
audit-detail-meeting-addendum = कार्यवाही में परिशिष्ट जोड़ा
audit-detail-meeting-photos = उपस्थिति रजिस्टर की { $count } फ़ोटो
audit-detail-action-item = { $description }
audit-detail-action-item-status = { $description }: { $status }

## API दस्तावेज़
api-docs-title = API दस्तावेज़
api-docs-bearer = API टोकन ज़रूरी है: Authorization: Bearer <token>
api-docs-params = पैरामीटर
api-docs-body = रिक्वेस्ट बॉडी
api-docs-responses = जवाब (रिस्पॉन्स)
api-docs-index = सभी कार्य
api-docs-schemas = डेटा का ढाँचा

## गड़बड़ियाँ
error-status = गड़बड़ी { $status }
error-go-home = होम पेज पर जाएँ
error-retry-minutes = { $minutes } मिनट बाद फिर से कोशिश करें।
error-not-found = नहीं मिला
error-forbidden = आपको यह करने की अनुमति नहीं है
error-unauthorized = कृपया लॉग इन करें
error-csrf = इस फ़ॉर्म का समय खत्म हो गया है। वापस जाएँ, पेज दोबारा लोड करें और फिर से कोशिश करें।
error-too-many = बहुत ज़्यादा कोशिशें
error-bad-request = रिक्वेस्ट समझ में नहीं आई
error-validation = कुछ फ़ील्ड ठीक करने ज़रूरी हैं
error-conflict = यह पहले से मौजूद रिकॉर्ड से टकराता है
error-internal = हमारी तरफ़ कुछ गड़बड़ हो गई। कृपया थोड़ी देर बाद फिर से कोशिश करें।
error-too-large = अपलोड की गई फ़ाइल बहुत बड़ी है।
error-unsupported-type = इस तरह की सामग्री स्वीकार नहीं की जाती।
error-bad-json = JSON बॉडी पढ़ी नहीं जा सकी।
error-bad-query = खोज या फ़िल्टर की कोई वैल्यू सही नहीं है।
error-bad-upload = अपलोड की गई फ़ाइल पढ़ी नहीं जा सकी।

## योजनाएँ और परिसंपत्तियाँ (Schemes and assets)
nav-schemes = योजनाएँ
action-back = वापस
action-export-csv = CSV डाउनलोड करें
action-replace = बदलें
action-retire = सेवा से हटाएँ
years-count = { $years } वर्ष
years-months = { $years } वर्ष { $months } माह
field-reason = कारण
field-notes = टिप्पणी
field-gp-lgd = ग्राम पंचायत का LGD कोड
field-scheme-kind = योजना का प्रकार
field-source-kind = जल स्रोत
field-villages = लाभान्वित गाँव
field-commissioned-on = चालू होने की तारीख
field-design-period = डिज़ाइन अवधि (वर्ष)
field-design-population = डिज़ाइन जनसंख्या
field-planned-connections = नियोजित नल कनेक्शन
field-imis-id = IMIS / राज्य योजना आईडी
field-operator-name = ऑपरेटर
field-operator-phone = ऑपरेटर का मोबाइल
field-asset-kind = परिसंपत्ति का प्रकार
field-asset-name = नाम या टैग
field-installed-on = लगाने (या पिछली बार बदलने) की तारीख
field-expected-life = अपेक्षित आयु (वर्ष)
field-capacity = क्षमता / आकार
field-unit = इकाई
field-make = कंपनी
field-model = मॉडल
field-serial = सीरियल नंबर
field-warranty-until = वारंटी कब तक
field-latitude = अक्षांश
field-longitude = देशांतर
field-location = स्थान
field-replacement-cost = बदलने की लागत (₹)
field-bad-date = तारीख DD-MM-YYYY के रूप में लिखें।
field-date-in-future = यह तारीख भविष्य की है।
field-bad-money = राशि रुपयों में लिखें, जैसे 1500 या 1,500.50।
field-negative = यह ऋणात्मक नहीं हो सकता।
field-not-a-number = संख्या लिखें।
field-out-of-range = { $min } से { $max } तक की संख्या लिखें।
field-unknown = यह फ़ील्ड पहचाना नहीं गया।
field-not-text = इसे पाठ या संख्या के रूप में दें।
schemes-title = योजनाएँ
schemes-search-hint = नाम, कोड, IMIS आईडी या जिस गाँव को पानी देती है
scheme-title = योजना
scheme-new-title = योजना दर्ज करें
scheme-edit-title = योजना संपादित करें
scheme-card-title = योजना कार्ड (प्रिंट)
scheme-card-printed = पानी से { $date } को छापा गया।
scheme-change-status = स्थिति बदलें
scheme-history = स्थिति का इतिहास
scheme-history-registered = योजना दर्ज की गई
scheme-design-ends = डिज़ाइन अवधि { $date } को समाप्त
scheme-other-gp = दूसरी ग्राम पंचायत
scheme-outages-open = पानी रोकने वाली यह खराबी खुली है, इसलिए योजना काम नहीं कर रही:
scheme-hand-set = संचालक की टिप्पणी
scheme-villages-hint = गाँवों के LGD कोड, अल्पविराम से अलग करें; दूसरी ग्राम पंचायतों के गाँव भी चल सकते हैं (बहु-ग्राम योजना)।
scheme-gp-not-yours = आपके क्षेत्र में इस LGD कोड वाली कोई सक्रिय ग्राम पंचायत नहीं है।
scheme-gp-fixed = योजना अपनी ग्राम पंचायत के साथ ही रहती है।
scheme-village-missing = LGD कोड { $code } वाला कोई सक्रिय गाँव नहीं है।
scheme-status-unchanged = योजना की यही स्थिति पहले से है।
scheme-status-functional = चालू
scheme-status-partially_functional = आंशिक रूप से चालू
scheme-status-non_functional = काम नहीं कर रही
scheme-status-under_repair = मरम्मत जारी
scheme-status-decommissioned = सेवा से बाहर
flash-scheme-saved = योजना सेव हो गई।
flash-scheme-status-changed = स्थिति बदल दी गई और इतिहास में दर्ज है।
assets-title = परिसंपत्तियाँ
assets-ended = बदली गई और हटाई गई परिसंपत्तियाँ
asset-title = परिसंपत्ति
asset-new-title = परिसंपत्ति जोड़ें
asset-edit-title = परिसंपत्ति संपादित करें
asset-replace-title = परिसंपत्ति बदलें
asset-replace-help = { $name } रिकॉर्ड में "बदली गई" के रूप में रहेगी, और यहाँ दर्ज नई परिसंपत्ति से जुड़ी रहेगी।
asset-retire-title = परिसंपत्ति सेवा से हटाएँ
asset-retire-question = { $name } को बिना बदले सेवा से हटाएँ? यह रिकॉर्ड में "हटाई गई" के रूप में रहेगी।
asset-life = आयु
asset-age = उम्र
asset-end-of-life = अपेक्षित आयु पूरी होने की तारीख
asset-remaining-life = बची आयु
asset-overdue = अपेक्षित आयु पूरी हो चुकी
asset-life-hint = खाली छोड़ें तो इस प्रकार की सामान्य आयु ली जाएगी।
asset-unit-default = सामान्य इकाई
asset-warranty-active = वारंटी में
asset-warranty-over = वारंटी समाप्त
asset-ended-on = समाप्ति की तारीख
asset-set-status = हालत
asset-lineage = बदलने का इतिहास
asset-not-in-service = यह परिसंपत्ति बदली या हटाई जा चुकी है; अब इसमें बदलाव नहीं हो सकता।
asset-outside-india = यह बिंदु भारत के बाहर है।
asset-coordinates-pair = अक्षांश और देशांतर दोनों दें, या कोई नहीं।
asset-warranty-before-install = वारंटी लगाने की तारीख से पहले समाप्त नहीं हो सकती।
asset-status-working = ठीक चल रही
asset-status-needs_attention = ध्यान देने की ज़रूरत
asset-status-failed = खराब
asset-status-replaced = बदली गई
asset-status-retired = हटाई गई
flash-asset-saved = परिसंपत्ति सेव हो गई।
flash-asset-replaced = परिसंपत्ति बदल दी गई; पुरानी इतिहास में दर्ज है।
flash-asset-retired = परिसंपत्ति सेवा से हटा दी गई।
lifecycle-title = नवीनीकरण जो आने वाले हैं
lifecycle-window = अवधि
lifecycle-next-months = { $months ->
        [one] अगला { $months } महीना
       *[other] अगले { $months } महीने
    }
lifecycle-until = वे परिसंपत्तियाँ जिनकी अपेक्षित आयु { $date } तक पूरी होती है, और जिनकी पूरी हो चुकी है।
lifecycle-budget = अनुमानित बदलने का बजट
lifecycle-without-cost = इनमें से { $count } की बदलने की लागत अभी दर्ज नहीं है।
lifecycle-schemes = योजनाएँ जिनकी डिज़ाइन अवधि इस समय में समाप्त होती है
schemes-import-title = CSV से योजनाएँ इम्पोर्ट करें
assets-import-title = CSV से परिसंपत्तियाँ इम्पोर्ट करें
import-help-named = पहली पंक्ति में कॉलम के नाम हों। कोई भी पंक्ति गलत हो तो कुछ भी इम्पोर्ट नहीं होगा। जो पंक्तियाँ पहले से दर्ज जानकारी जैसी हैं वे कुछ नहीं बदलतीं, इसलिए फ़ाइल दोबारा इम्पोर्ट करना सुरक्षित है।
import-columns = कॉलम
import-checked-named = फ़ाइल जाँची गई: { $rows ->
        [one] { $rows } पंक्ति
       *[other] { $rows } पंक्तियाँ
    } ({ $created } नई, { $updated } बदलेंगी, { $unchanged } वैसी ही)। अभी कुछ इम्पोर्ट नहीं हुआ।
import-done-named = { $rows ->
        [one] { $rows } पंक्ति इम्पोर्ट हुई
       *[other] { $rows } पंक्तियाँ इम्पोर्ट हुईं
    }: { $created } नई, { $updated } बदलीं, { $unchanged } वैसी ही।
import-unknown-column = अनजान कॉलम "{ $column }"।
import-missing-column = कॉलम "{ $column }" नहीं है।
import-unknown-code = आपके क्षेत्र में ऐसा कोई रिकॉर्ड नहीं है।
audit-entity-scheme = योजना
audit-entity-asset = परिसंपत्ति
audit-action-status_change = स्थिति बदली
audit-action-replace = बदली
audit-action-retire = हटाई

## रखरखाव (Maintenance)
nav-tasks = मेरे काम
action-done = हो गया
tasks-title = मेरे काम
tasks-overdue = समय निकल गया
tasks-today = अभी करने हैं
tasks-week = इस सप्ताह
tasks-none = यहाँ कुछ नहीं है।
task-title = काम
task-skip = यह काम छोड़ें
task-not-open = यह काम पहले ही हो चुका, छोड़ा या रद्द किया जा चुका है।
task-state-upcoming = आने वाला
task-state-due = करना है
task-state-overdue = समय निकल गया
task-state-done = हो गया
task-state-skipped = छोड़ा गया
task-state-cancelled = रद्द
every-day = { $n ->
        [one] हर दिन
       *[other] हर { $n } दिन
    }
every-week = { $n ->
        [one] हर सप्ताह
       *[other] हर { $n } सप्ताह
    }
every-month = { $n ->
        [one] हर महीने
       *[other] हर { $n } महीने
    }
every-year = { $n ->
        [one] हर वर्ष
       *[other] हर { $n } वर्ष
    }
every-window = साल में एक बार, { $start } से { $end }
plan-unit-day = दिन
plan-unit-week = सप्ताह
plan-unit-month = महीने
plan-unit-year = वर्ष
plan-unit-window = साल में एक बार
work-done-on = किस दिन किया
work-done-by = किसने किया
work-done-by-hint = नाम अल्पविराम से अलग करें; खाली छोड़ें तो आपका नाम।
work-checklist = जाँच सूची
work-range = सही सीमा: { $min } से { $max }
work-cost = खर्च (₹)
work-parts = लगे पुर्ज़े
work-parts-hint = हर पंक्ति में एक: पुर्ज़ा | मात्रा
work-asset-unchanged = जैसा है वैसा रहने दें
work-reading-extra = योजना में माँगी गई रीडिंग से ज़्यादा रीडिंग दी गई हैं।
work-reading-number = { $name } के लिए संख्या लिखें।
work-reading-impossible = { $name } केवल { $lowest } से { $highest } के बीच हो सकती है: मान जाँच लें।
work-reading-below-lowest = { $name } { $lowest } से कम नहीं हो सकती: मान जाँच लें।
work-reading-above-highest = { $name } { $highest } से ज़्यादा नहीं हो सकती: मान जाँच लें।
plan-reading-too-long = रीडिंग के नाम में अधिकतम { $name } और इकाई में अधिकतम { $unit } अक्षर हो सकते हैं।
reading-out-of-range = सीमा से बाहर
register-title = रखरखाव रजिस्टर
register-month = { $month } में किया गया काम
register-work = काम
register-readings = रीडिंग
compliance-title = समय पर किया गया
compliance-month = महीना
compliance-due = करने थे
compliance-on-time = समय पर
plans-title = रखरखाव योजनाएँ
plans-apply-templates = हर परिसंपत्ति के लिए सामान्य योजनाएँ जोड़ें
plan-new-title = नई रखरखाव योजना
plan-edit-title = रखरखाव योजना संपादित करें
plan-asset = किसके लिए
plan-whole-scheme = पूरी योजना
plan-title-field = क्या करना है
plan-every = कितनी बार
plan-start = पहली बार कब
plan-window = सालाना अवधि (MM-DD से MM-DD)
plan-window-format = तारीख MM-DD के रूप में लिखें, जैसे 05-25।
plan-checklist-hint = हर पंक्ति में एक बात
# the capacity unit "count" (a number of things)
unit-count = संख्या
plan-readings-example = अवशिष्ट क्लोरीन | मि.ग्रा./ली. | 0.2 | 1.0 | 0 | 20
plan-readings-hint = हर पंक्ति में एक: नाम | इकाई | सामान्य से | सामान्य तक | न्यूनतम संभव | अधिकतम संभव (नाम के अलावा सब वैकल्पिक)। सामान्य सीमा के बाहर की रीडिंग चिह्नित होती है; संभव सीमा के बाहर की रीडिंग स्वीकार नहीं होती।
plan-reading-format = हर रीडिंग ऐसे लिखें: नाम | इकाई | सामान्य से | सामान्य तक | न्यूनतम संभव | अधिकतम संभव।
plan-reading-range = रीडिंग की संख्याएँ बढ़ते क्रम में हों: न्यूनतम संभव ≤ सामान्य से ≤ सामान्य तक ≤ अधिकतम संभव।
plan-water-quality = पानी की गुणवत्ता की जाँच
plan-responsible-user = ज़िम्मेदार व्यक्ति (यूज़रनेम)
plan-responsible-role = या समिति की भूमिका
plan-responsible-unknown = इस ग्राम पंचायत का इस यूज़रनेम वाला कोई सक्रिय उपयोगकर्ता नहीं है।
plan-cost = अनुमानित खर्च (₹)
plan-instructions = निर्देश
flash-plan-saved = योजना सेव हो गई और उसके काम तय हो गए।
flash-templates-applied = सामान्य योजनाएँ जुड़ गईं और उनके काम तय हो गए।
flash-task-done = दर्ज हो गया। धन्यवाद!
flash-task-done-out-of-range = दर्ज हो गया। एक रीडिंग सीमा से बाहर है: सचिव को बताएँ।
flash-task-skipped = काम छोड़ दिया गया।
audit-entity-plan = रखरखाव योजना
audit-entity-task = काम
audit-action-complete = किया गया
audit-action-skip = छोड़ा गया
register-print = प्रिंट (A4)
register-signature = हस्ताक्षर
register-signed-secretary = सदस्य सचिव:
register-signed-chair = अध्यक्ष:
asset-suggested-plans = इस प्रकार की परिसंपत्ति का सामान्य रखरखाव
asset-accept-plans = ये योजनाएँ जोड़ें
asset-adjust-plans-hint = कितनी बार और कौन ज़िम्मेदार है, यह बाद में योजना के रखरखाव रजिस्टर पर बदल सकते हैं।
scheme-quality-alert = पानी की गुणवत्ता: एक रीडिंग सीमा से बाहर थी ({ $title }, { $date })। पानी की जाँच करें और ब्लॉक इंजीनियर को बताएँ।
work-adhoc-title = किया गया काम दर्ज करें
work-adhoc-hint = जैसे: ग्लैंड पैकिंग बदली
flash-work-logged = काम रजिस्टर में दर्ज हो गया।
compliance-3-months = पिछले 3 महीने
compliance-12-months = पिछले 12 महीने
audit-entity-work = किया गया काम
work-photos = फ़ोटो
work-photos-hint = तीन तक फ़ोटो (JPEG या PNG, हर एक 5 MB तक), जैसे काम से पहले और बाद की।
photo-too-many = ज़्यादा से ज़्यादा { $max } फ़ोटो।
photo-too-large = एक फ़ोटो { $max } MB से बड़ी है।
photo-not-image = केवल JPEG या PNG फ़ोटो जोड़ी जा सकती हैं।
photo-too-many-pixels = फ़ोटो में ज़्यादा से ज़्यादा { $max } मेगापिक्सेल और किसी भी ओर { $side } पिक्सेल हो सकते हैं; कम रिज़ॉल्यूशन पर दोबारा खींचें या फ़ोटो छोटी करें।

## खराबियाँ (Breakdowns)
nav-breakdowns = खराबियाँ
breakdowns-title = खराबियाँ
breakdown-title = खराबी
breakdown-new-title = खराबी की शिकायत करें
breakdown-report = शिकायत दर्ज करें
breakdown-open = खुली
breakdown-escalated = ऊपर भेजी गई
breakdown-category = क्या खराब हुआ
breakdown-supply = पानी की आपूर्ति
breakdown-description = क्या हुआ
breakdown-households = प्रभावित परिवार (लगभग)
breakdown-started = कब से
breakdown-reporter = शिकायतकर्ता
breakdown-assigned = मरम्मत करने वाला (नाम, फ़ोन)
breakdown-resolution = क्या किया गया
breakdown-note = टिप्पणी (अस्वीकार करने या फिर से खोलने का कारण)
breakdown-duplicate-of = इसी शिकायत संख्या जैसी (दोहराव के लिए)
breakdown-next-step = अगला कदम
breakdown-step-hint = केवल वही भरें जो कदम के लिए ज़रूरी है: मरम्मत करने वाला (मरम्मत जारी), क्या किया (हल हुई), कारण (अस्वीकार, फिर से खोली), दूसरी संख्या (दोहराव)।
breakdown-timeline = घटनाक्रम
breakdown-comment = टिप्पणी
breakdown-due = मरम्मत की अंतिम तारीख { $date }
breakdown-hours-left = { $hours ->
        [one] { $hours } घंटा बाकी
       *[other] { $hours } घंटे बाकी
    }
breakdown-overdue-by = { $hours } घंटे की देरी
breakdown-overdue-days = { $days } दिन की देरी
breakdown-days-left = { $days } दिन बाकी
breakdown-possible-duplicates = शायद यही समस्या:
breakdown-bad-transition = खराबी की अभी की स्थिति से यह कदम संभव नहीं है।
breakdown-unknown-number = इस ग्राम पंचायत की इस संख्या वाली कोई दूसरी खराबी नहीं है।
breakdown-number-taken = दो शिकायतें एक साथ आईं; कृपया फिर से कोशिश करें।
breakdown-cat-pipeline = पाइपलाइन रिसाव या फटना
breakdown-cat-pump_motor = पंप या मोटर खराब
breakdown-cat-power = बिजली आपूर्ति
breakdown-cat-source = स्रोत सूखा या कम पानी
breakdown-cat-water_quality = पानी की गुणवत्ता / गंदगी
breakdown-cat-tank = टंकी
breakdown-cat-valve = वाल्व
breakdown-cat-tap = नल या कनेक्शन
breakdown-cat-other = अन्य
breakdown-supply-stopped = पानी बंद
breakdown-supply-partial = पानी कम / कुछ जगह
breakdown-supply-none = पानी पर असर नहीं
breakdown-status-reported = दर्ज
breakdown-status-acknowledged = स्वीकार
breakdown-status-in_progress = मरम्मत जारी
breakdown-status-resolved = ठीक हो गई
breakdown-status-closed = निपटाई गई
breakdown-status-reopened = फिर से खोली
breakdown-status-rejected = अस्वीकार
breakdown-status-duplicate = दोहराव
breakdown-event-reported = दर्ज
breakdown-event-transition = स्थिति
breakdown-event-comment = टिप्पणी
breakdown-event-escalated = ऊपर भेजी गई
flash-breakdown-reported = खराबी दर्ज हो गई।
flash-breakdown-updated = खराबी अपडेट हो गई।
flash-comment-added = टिप्पणी जुड़ गई।
flash-task-done-report = दर्ज हो गया। परिसंपत्ति खराब है: यहाँ खराबी दर्ज करें।
task-report-breakdown = कुछ खराब है? खराबी दर्ज करें
audit-entity-breakdown = खराबी

## Breakdowns: public complaints, review, register
field-date-in-past = यह तारीख बीत चुकी है; आज या आगे का दिन चुनें।
breakdown-event-visit_requested = तकनीकी निरीक्षण माँगा गया
breakdown-event-level_changed = एस्केलेशन स्तर बदला
breakdown-source-app = ऐप से
breakdown-source-public = सार्वजनिक शिकायत
breakdown-source-api = API से
breakdown-visit = तकनीकी निरीक्षण की तारीख
breakdown-visit-note = कौन जाएगा, और क्या देखना है (वैकल्पिक)
breakdown-visit-request = तकनीकी निरीक्षण माँगें
breakdown-level = एस्केलेशन स्तर
breakdown-level-reason = बदलाव का कारण
breakdown-level-0 = ग्राम पंचायत के पास (ऊपर नहीं भेजी)
breakdown-level-1 = स्तर 1: ब्लॉक इंजीनियर
breakdown-level-2 = स्तर 2: ज़िला अधिकारी
breakdown-age-days = { $days } दिन पहले दर्ज
breakdown-none-open = कोई खुली खराबी नहीं।
breakdown-see-all = सभी खराबियाँ देखें
home-open-breakdowns = खुली खराबियाँ
nav-review = खराबी समीक्षा
review-title = खराबी समीक्षा
review-summary = सारांश
review-block = ब्लॉक
review-gp = ग्राम पंचायत
review-age = कितनी पुरानी
review-age-0-3 = 0–3 दिन
review-age-4-7 = 4–7 दिन
review-age-8-30 = 8–30 दिन
review-age-30plus = 30 दिन से अधिक
review-sort = क्रम
review-sort-oldest = ऊपर भेजी गई, फिर सबसे पुरानी
review-sort-newest = सबसे नई पहले
review-sort-due = समय-सीमा पहले
review-sort-gp = ग्राम पंचायत
review-month = महीना
review-uptime = जल आपूर्ति समय (अपटाइम)
review-median = मरम्मत का मध्य समय (घंटे)
review-p90 = 90वाँ प्रतिशतक (घंटे)
review-resolved = ठीक हुईं
review-schemes = चालू योजनाएँ
review-period = { $from } से { $to } के आँकड़े; मरम्मत का समय शिकायत से ठीक होने तक, ठीक होने के महीने के अनुसार।
review-list = खराबियाँ
review-age-days = उम्र (दिन)
review-sla = समय-सीमा
review-visit-on = निरीक्षण { $date }
review-by-gp = ग्राम पंचायत अनुसार
review-overdue = समय-सीमा पार
review-reported = दर्ज
review-by-month = महीने अनुसार
review-downtime = बिना पानी के दिन
review-schemes-down = { $month } में बिना पानी वाली योजनाएँ
review-more = { $count ->
        [one] { $count } और योजना में कुछ समय पानी बंद रहा।
       *[other] { $count } और योजनाओं में कुछ समय पानी बंद रहा।
    }
review-repeats = बार-बार खराबी
review-repeats-hint = पिछले 90 दिनों में 3 या अधिक खराबियों वाली संपत्तियाँ और 5 या अधिक वाली योजनाएँ।
review-repeat-more = …और { $count }; देखने के लिए ग्राम पंचायत चुनें।
review-actions = इंजीनियर की कार्रवाई
complaint-title = पानी की समस्या बताएँ
complaint-intro = खाते की ज़रूरत नहीं। आपको शिकायत संख्या मिलेगी; उससे और अपने मोबाइल नंबर से आप देख सकेंगे कि क्या हो रहा है।
complaint-name = आपका नाम
complaint-phone = मोबाइल नंबर
complaint-village = गाँव
complaint-description = क्या खराब है, और कहाँ?
complaint-submit = शिकायत भेजें
complaint-status-title = शिकायत की स्थिति देखें
complaint-throttled = अभी यहाँ से बहुत सारी शिकायतें आई हैं। कृपया { $minutes } मिनट बाद फिर कोशिश करें।
complaint-not-found = इस संख्या और मोबाइल नंबर से कोई शिकायत नहीं मिली।
complaint-filed-at = दर्ज करने की तारीख
complaint-due = मरम्मत की समय-सीमा
complaint-number = शिकायत संख्या
complaint-check = देखें
flash-complaint-filed = आपकी शिकायत दर्ज हो गई। इसकी संख्या (नीचे) संभालकर रखें; स्थिति देखने के लिए अपना मोबाइल नंबर भरें।
complaint-find-title = पानी की समस्या बताएँ: अपनी योजना खोजें
complaint-find-label = गाँव का नाम, गाँव का LGD कोड, या योजना कोड
complaint-find-hint = अपने गाँव के नाम का कुछ हिस्सा हिंदी या अंग्रेज़ी में, उसका LGD कोड, या योजना कार्ड पर लिखा कोड भरें।
complaint-find-submit = खोजें
complaint-find-none = इससे कोई योजना नहीं मिली। दूसरी वर्तनी, गाँव का LGD कोड, या योजना कार्ड का कोड आज़माएँ।
complaint-find-choose = एक से ज़्यादा योजनाएँ मिलीं; अपनी योजना चुनें:
complaint-find-report = यहाँ समस्या बताएँ
complaint-find-villages = गाँव
complaint-photo = फ़ोटो (ज़रूरी नहीं)
complaint-your-number = आपकी शिकायत संख्या
complaint-keep-number = इसे लिख लें या कॉपी कर लें: इस संख्या और अपने मोबाइल नंबर से आप शिकायत देख सकते हैं।
complaint-already-reported = पहले से दर्ज है: संख्या { $number }। यह समस्या आपके फ़ोन से बताई जा चुकी है और अभी खुली है, इसलिए नई शिकायत नहीं बनी।
complaint-share-page = { $scheme } में पानी की समस्या बताएँ:
complaint-share-find = पानी की समस्या बताएँ:
complaint-share-status = शिकायत संख्या { $number }। स्थिति देखें:
complaint-report-link = समस्या बताएँ
share-link = लिंक
share-whatsapp = WhatsApp पर भेजें
action-copy = कॉपी करें
action-copied = कॉपी हो गया
action-share = भेजें
complaint-register-title = शिकायत रजिस्टर
complaint-register-month = { $month } में मिली शिकायतें
complaint-register-count = { $count ->
        [one] { $count } शिकायत
       *[other] { $count } शिकायतें
    }
register-resolved = ठीक हुई
register-repair-hours = { $hours } घंटे में
scheme-card-qr = इस योजना की समस्या बताने के लिए स्कैन करें
scheme-card-complain = पानी की समस्या? हमें बताएँ।

## Billing
audit-entity-household = परिवार
audit-entity-tariff_plan = जल शुल्क दर
audit-entity-demand_run = माँग सूची
audit-action-cancel = रद्द किया
field-bad-month = महीना YYYY-MM में लिखें, जैसे 2026-04।
field-money-too-large = ज़्यादा से ज़्यादा { $max }।
field-month-out-of-range = { $from } से { $to } के बीच का महीना चुनें।
demand-month-too-late = माँगें { $max } (अगले महीने) तक ही बनाई जा सकती हैं, उसके बाद की नहीं।
household-number-taken = इस ग्राम पंचायत में यह कनेक्शन नंबर किसी और परिवार का है।
household-other-gp = परिवार अपनी ग्राम पंचायत में ही रहता है; उसी पंचायत का गाँव चुनें।
tariff-month-taken = इस पंचायत की उस महीने से शुरू होने वाली दर पहले से है।
demand-preview-changed = पूर्वावलोकन के बाद परिवार या दरें बदल गईं; माँग बनाने से पहले फिर देखें।
demand-run-cancelled = यह माँग सूची पहले ही रद्द हो चुकी है।
household-cat-general = सामान्य
household-cat-bpl = बीपीएल
household-cat-sc = अनुसूचित जाति
household-cat-st = अनुसूचित जनजाति
household-cat-exempt = छूट प्राप्त

## Household register pages
nav-households = परिवार रजिस्टर
households-title = परिवार रजिस्टर
households-search-hint = नाम, कनेक्शन नंबर या मोबाइल
households-status-all = सभी
household-new-title = नया परिवार जोड़ें
household-edit-title = परिवार की जानकारी बदलें
household-title = परिवार
household-connection-no = कनेक्शन नंबर
household-connection-hint = पंचायत में हर परिवार का अपना अलग नंबर, जैसे BN-001।
household-head-name = परिवार के मुखिया का नाम
household-village = गाँव
household-scheme = योजना
household-no-scheme = — कोई नहीं —
household-members = सदस्यों की संख्या
household-category = श्रेणी
household-exempt-reason = छूट का कारण
household-exempt-hint = श्रेणी "छूट प्राप्त" हो तो कारण लिखना ज़रूरी है।
household-connected-on = कनेक्शन की तारीख
household-disconnected-on = कनेक्शन कटने की तारीख
household-status-reason = स्थिति का कारण
household-status-hint = कनेक्शन कटा हो तो तारीख और कारण लिखें। दूसरे कनेक्शन में जुड़ा हो तो कारण लिखें।
household-status-active = चालू
household-status-disconnected = कनेक्शन कटा
household-status-merged = दूसरे कनेक्शन में जुड़ा
household-choose-gp = परिवार किस ग्राम पंचायत में है?
household-continue = आगे बढ़ें
flash-household-saved = परिवार की जानकारी सेव हो गई।
households-import-title = CSV फ़ाइल से परिवार इम्पोर्ट करें
households-import-help = पहले फ़ाइल जाँची जाती है और दिखाया जाता है कि क्या बदलेगा; "ये पंक्तियाँ इम्पोर्ट करें" दबाने तक कुछ भी सेव नहीं होता।
households-import-columns-help = village: गाँव का LGD कोड या उसका नाम। scheme_code: योजना का कोड (जैसे 23010101-1), या खाली। category: general, bpl, sc, st या exempt। तारीख YYYY-MM-DD या DD-MM-YYYY में। status: active (खाली हो तो यही), disconnected या merged। जिस पंक्ति का कनेक्शन नंबर रजिस्टर में पहले से है, उससे उसी परिवार की जानकारी बदलती है।
households-import-gp-own = परिवार आपकी ग्राम पंचायत में जुड़ेंगे: gp_lgd_code कॉलम छोड़ सकते हैं।
households-import-gp-column = हर पंक्ति की ग्राम पंचायत gp_lgd_code कॉलम में (उसका LGD कोड) लिखें।
households-import-villages = आपके गाँवों के LGD कोड
households-import-check = फ़ाइल जाँचें
households-import-confirm = ये पंक्तियाँ इम्पोर्ट करें
households-import-changes = क्या बदलेगा
households-import-nothing = कुछ नहीं बदलेगा: हर पंक्ति रजिस्टर में पहले से ऐसी ही है।
households-import-more = … और { $count }।
households-change-new = नया
households-change-update = बदलेगा
households-import-not-utf8 = फ़ाइल UTF-8 टेक्स्ट में नहीं है। Excel में इसे "CSV UTF-8" के रूप में सेव करें।
households-import-unknown-gp = आपके क्षेत्र में इस LGD कोड की कोई ग्राम पंचायत नहीं है।
households-import-unknown-village = इस ग्राम पंचायत में इस LGD कोड या नाम का कोई गाँव नहीं है।
households-import-village-ambiguous = इस नाम के एक से ज़्यादा गाँव हैं: गाँव का LGD कोड लिखें।
households-import-unknown-scheme = इस ग्राम पंचायत की किसी योजना का यह कोड नहीं है।
households-import-twice = यह कनेक्शन नंबर फ़ाइल में दो बार आया है।

## Payments, receipts, ledger, arrears, cash book
field-month = महीना
month-1 = जनवरी
month-2 = फ़रवरी
month-3 = मार्च
month-4 = अप्रैल
month-5 = मई
month-6 = जून
month-7 = जुलाई
month-8 = अगस्त
month-9 = सितंबर
month-10 = अक्टूबर
month-11 = नवंबर
month-12 = दिसंबर
nav-payments = भुगतान
nav-cashbook = रोकड़ बही
audit-entity-payment = भुगतान
audit-entity-cashbook_entry = रोकड़ बही प्रविष्टि
payments-title = भुगतान
payments-search-hint = रसीद संख्या, कनेक्शन संख्या या नाम
payments-page-total = इस पन्ने का कुल (मान्य रसीदें)
counter-title = भुगतान लें
counter-find = परिवार खोजें
counter-find-hint = नाम, कनेक्शन संख्या या फ़ोन
counter-find-action = खोजें
counter-none-found = कोई परिवार नहीं मिला। नाम का कुछ हिस्सा या कनेक्शन संख्या लिखकर देखें।
counter-nothing-due = कुछ बकाया नहीं
counter-more = और परिवार भी मिलते हैं: नाम थोड़ा और लिखें।
receipt-print = रसीद प्रिंट करें
payment-record-title = भुगतान दर्ज करें
payment-record-action = भुगतान दर्ज करें और रसीद दें
payment-amount = राशि (₹)
payment-paid-on = भुगतान की तारीख
payment-reference = संदर्भ
payment-reference-hint = UPI या बैंक लेन-देन संख्या, या चेक संख्या। नकद के लिए ज़रूरी नहीं।
payment-reference-required = नकद के अलावा भुगतान के लिए लेन-देन या चेक संख्या लिखें।
payment-amount-positive = राशि शून्य से अधिक होनी चाहिए।
payment-amount-too-large = यह { $max } से अधिक है — राशि जाँच लें।
payment-before-connection = यह तारीख नल कनेक्शन से पहले की है।
idempotency-bad-key = दोहराव रोकने वाली कुंजी (Idempotency-Key हेडर या idempotency_key फ़ील्ड) 1–200 दिखने वाले अक्षरों की होनी चाहिए।
payment-key-reused = यह Idempotency-Key किसी दूसरे भुगतान के लिए इस्तेमाल हो चुकी है।
payment-retry = भुगतान की पुष्टि नहीं हो सकी। दोबारा कोशिश से पहले परिवार के भुगतान देख लें।
payment-already-cancelled = यह भुगतान पहले ही रद्द हो चुका है।
payment-cancel-own = भुगतान उसे दर्ज करने वाले के अलावा कोई दूसरा सचिव ही रद्द कर सकता है।
payment-cancel = रद्द करें…
payment-cancel-confirm = हाँ, रद्द करें
payment-status-valid = मान्य
payment-mode-cash = नकद
payment-mode-upi = UPI
payment-mode-bank = बैंक ट्रांसफ़र
payment-mode-cheque = चेक
flash-payment-recorded = भुगतान दर्ज हुआ। रसीद नीचे है।
flash-payment-cancelled = भुगतान रद्द हुआ; बकाया फिर से गिना गया।
receipt-title = रसीद
receipt-heading = जल उपभोक्ता शुल्क रसीद
receipt-lgd = LGD
receipt-number = रसीद सं.
receipt-date = तारीख
receipt-village = गाँव
receipt-months = इन महीनों के लिए
receipt-advance-only = अग्रिम
receipt-mode = माध्यम
receipt-balance-after = इस भुगतान के बाद बकाया
receipt-advance-after = इस भुगतान के बाद अग्रिम जमा
receipt-collected-by = वसूलकर्ता
receipt-cancelled = रद्द
receipt-layout = आकार
receipt-print-hint = रसीद छापने के लिए ब्राउज़र का प्रिंट चुनें; ऊपर चुने काग़ज़ के हिसाब से छपेगी।
receipt-share = भेजने के लिए लिंक (बिना लॉग-इन खुलता है)
receipt-whatsapp = WhatsApp पर भेजें
receipt-share-message = पानी रसीद { $no }:
ledger-title = खाता
ledger-standing = शेष
ledger-demanded = माँग
ledger-paid = जमा
ledger-due = बकाया
ledger-advance = अग्रिम
ledger-months = महीने
ledger-month = महीना
ledger-demand = माँग
ledger-lines = सभी प्रविष्टियाँ
ledger-entry = विवरण
ledger-debit = नामे
ledger-credit = जमा
ledger-balance = शेष
ledger-kind-demand = माँग
ledger-kind-payment = भुगतान, रसीद
ledger-kind-cancellation = रद्द रसीद
ledger-month-paid = चुकता
ledger-month-part = आंशिक
ledger-month-unpaid = बकाया
arrears-title = बकाया और वसूली
arrears-ageing = बकाया, अवधि के अनुसार
arrears-months = { $range } महीने
arrears-total = कुल
arrears-none = कोई बकाया नहीं।
efficiency-title = वसूली दक्षता
efficiency-hint = हर महीने की माँग में से अब तक कितना वसूला गया; अंतिम कॉलम दिखाए गए महीनों का जोड़ है।
efficiency-collected = वसूला
efficiency-percent = दक्षता
efficiency-cumulative = कुल मिलाकर
defaulters-title = बकायेदार
defaulters-threshold = { $months } या अधिक महीने बकाया
defaulters-count = { $count } परिवार
defaulters-min-months = कम से कम बकाया महीने
defaulters-months = बकाया महीने
defaulters-since = कब से बकाया
defaulters-followup = संपर्क / टिप्पणी
demands-title = मासिक माँग
demands-preview-action = पहले देखें
demands-preview = { $month } की माँग बनाने पर यह बनेगा
demands-new = नई माँगें
demands-no-plan = कोई शुल्क योजना नहीं
demands-confirm = { $count ->
        [one] { $count } माँग बनाएँ
       *[other] { $count } माँगें बनाएँ
    }, देय तारीख { $due }?
demands-raise-action = माँग बनाएँ
demands-nothing = इस महीने के लिए बनाने को कुछ नहीं।
demands-runs = माँग सूचियाँ
demand-run-paid = यह सूची बनने के बाद परिवारों ने इसकी माँगों का भुगतान कर दिया है, इसलिए इसे रद्द नहीं किया जा सकता।
flash-demands-raised = माँगें बन गईं।
cashbook-title = संचालन-रखरखाव कोष की रोकड़ बही
cashbook-opening = प्रारंभिक शेष
cashbook-closing = अंतिम शेष
cashbook-scheme-only = केवल इस योजना की मरम्मत और रखरखाव से जुड़े ख़र्च:
cashbook-scheme-whole = पूरी रोकड़ बही
cashbook-income = आय
cashbook-expense = व्यय
cashbook-head = मद
cashbook-voucher = वाउचर सं.
cashbook-party = किसे दिया / किससे मिला
cashbook-receipts = { $count ->
        [one] { $count } रसीद
       *[other] { $count } रसीदें
    }
cashbook-breakdown = ख़राबी की संख्या (शिकायत पर्ची जैसी, जैसे 23010101-B24), मरम्मत के लिए
cashbook-breakdown-unknown = इस ग्राम पंचायत में { $number } संख्या की कोई ख़राबी नहीं है।
cashbook-work-already-recorded = इसका ख़र्च रोकड़ बही में पहले से दर्ज है: { $date } को { $amount }।
cashbook-record-cost = यह ख़र्च ओ एंड एम रोकड़ बही में भी दर्ज करें
cashbook-not-yours = रोकड़ बही में ख़र्च केवल पंचायत सचिव दर्ज करते हैं।
cashbook-paid-on = { $date } को { $amount } का भुगतान
cashbook-pick-hint = लिखते समय हाल की वे मरम्मतें और कार्य दिखते हैं जिनका ख़र्च अभी बही में नहीं है।
cashbook-add = प्रविष्टि जोड़ें
cashbook-add-action = रोकड़ बही में जोड़ें
cashbook-opening-exists = रोकड़ बही में प्रारंभिक शेष पहले से है।
cashbook-already-cancelled = यह प्रविष्टि पहले ही रद्द है।
flash-cashbook-added = प्रविष्टि रोकड़ बही में जुड़ गई।
flash-cashbook-cancelled = प्रविष्टि रद्द हुई।
cashbook-head-income-tariff = जल उपभोक्ता शुल्क
cashbook-head-income-grant_15fc = 15वें वित्त आयोग का बद्ध अनुदान
cashbook-head-income-grant_other = अन्य अनुदान
cashbook-head-income-donation = दान
cashbook-head-income-connection = कनेक्शन शुल्क
cashbook-head-income-other = अन्य आय
cashbook-head-income-opening = प्रारंभिक शेष
cashbook-head-opening-opening = प्रारंभिक शेष
cashbook-head-expense-electricity = बिजली बिल
cashbook-head-expense-honorarium = पंप चालक मानदेय
cashbook-head-expense-repairs = मरम्मत
cashbook-head-expense-chemicals = रसायन (ब्लीचिंग पाउडर आदि)
cashbook-head-expense-water_testing = जल जाँच
cashbook-head-expense-other = अन्य व्यय
cost-recovery-title = लागत वसूली, पिछले 12 महीने
cost-recovery-met = JJM का { $target }% पूरा
cost-recovery-not-met = JJM के { $target }% से कम
cost-recovery-charges = उपभोक्ता शुल्क
cost-recovery-expense = संचालन-रखरखाव व्यय
tariffs-title = शुल्क योजनाएँ
tariffs-hint = हर योजना अपने महीने से लागू होती है; पहले के महीनों पर पुरानी योजना ही रहती है। छूट वाले परिवार कुछ नहीं देते।
tariffs-from = { $month } से
tariffs-none = अभी कोई शुल्क योजना नहीं: माँग बनाने से पहले एक जोड़ें।
tariffs-add = योजना जोड़ें
tariffs-add-action = योजना सहेजें
tariffs-effective-from = किस महीने से लागू
tariffs-connection-charge = एक बार का कनेक्शन शुल्क
tariffs-late-fee = विलंब शुल्क
tariffs-late-days = देय तारीख के इतने दिन बाद विलंब शुल्क
tariffs-late-after = { $days } दिन बाद
tariffs-exempt-hint = छूट वाले परिवार हमेशा ₹0 देते हैं।
flash-tariff-added = शुल्क योजना सहेजी गई।
demands-late-fees-hint = जिन योजनाओं में विलंब शुल्क है, उनमें देय तारीख के उतने दिन बाद भी बकाया माँगों पर यह एक बार लगता है।
demands-late-fees-action = अभी विलंब शुल्क लगाएँ
flash-late-fees-charged = जहाँ बनता था, वहाँ विलंब शुल्क लगा दिया गया।
ledger-kind-late_fee = विलंब शुल्क
ledger-open-and-pay = खाता देखें और भुगतान दर्ज करें
ledger-open = खाता देखें
cashbook-task = रखरखाव कार्य, अगर ख़र्च उसके लिए था

## The Paani Samiti
nav-committees = समिति
audit-entity-committee = समिति
committees-title = पानी समिति
committees-hint = ग्राम पंचायत की जल एवं स्वच्छता समिति और वार्ड या गाँव की उप-समितियाँ, उनके सदस्य, और क्या गठन के नियम पूरे हैं।
committee-title = समिति
committee-new = समिति जोड़ें
committee-name = नाम
committee-constituted = गठन की तारीख
committee-sc-st-share = गाँव की आबादी में अनुसूचित जाति/जनजाति का हिस्सा (%)
committee-create-action = समिति जोड़ें
committee-composition = गठन
committee-composition-ok = नियम पूरे
committee-composition-not-ok = नियम पूरे नहीं
committee-serving = { $count } सदस्य कार्यरत
committee-rule = नियम
committee-rule-asks = अपेक्षा
committee-rule-has = स्थिति
committee-rule-size = सदस्य संख्या
committee-rule-women = महिलाएँ, कम से कम
committee-rule-elected = निर्वाचित पंचायत सदस्य, अधिकतम
committee-rule-sc_st = अनु. जाति/जनजाति सदस्य, कम से कम आबादी के हिस्से जितने
committee-rule-met = पूरा
committee-rule-not-met = पूरा नहीं
committee-rule-unknown = आबादी का हिस्सा दर्ज नहीं
committee-members = सदस्य
committee-member-name = नाम
committee-role = पद
committee-gender = लिंग
committee-social = सामाजिक वर्ग
committee-elected = निर्वाचित पंचायत सदस्य
committee-yes = हाँ
committee-term = कार्यकाल
committee-term-running = अब तक
committee-term-from = कार्यकाल शुरू
committee-term-last-day = कार्यकाल का अंतिम दिन
committee-end-term = कार्यकाल समाप्त करें
committee-add-member = सदस्य जोड़ें
committee-reconstitute = समिति का पुनर्गठन
committee-reconstitute-hint = पंचायत चुनाव के बाद समिति फिर से बनती है: दी गई तारीख को सभी चल रहे कार्यकाल समाप्त होंगे। सदस्य इतिहास में रहेंगे; उसके बाद नई समिति के सदस्य जोड़ें।
committee-reconstitute-example = जैसे पंचायत चुनाव 2026
committee-reconstitute-action = सभी कार्यकाल समाप्त करें
committee-term-not-running = इस सदस्य का कार्यकाल पहले ही समाप्त हो चुका है।
committee-role-chairperson = अध्यक्ष
committee-role-member_secretary = सदस्य सचिव
committee-role-treasurer = कोषाध्यक्ष
committee-role-jal_sahiya = जल सहिया / पंप चालक
committee-role-member = सदस्य
committee-gender-female = महिला
committee-gender-male = पुरुष
committee-gender-other = अन्य
committee-social-sc = अनुसूचित जाति
committee-social-st = अनुसूचित जनजाति
committee-social-obc = अन्य पिछड़ा वर्ग
committee-social-general = सामान्य
committee-social-other = अन्य
flash-committee-created = समिति जुड़ गई। अब उसके सदस्य जोड़ें।
flash-committee-member-added = सदस्य जुड़ गया।
flash-committee-terms-ended = कार्यकाल समाप्त किया गया।
audit-entity-meeting = बैठक
audit-entity-action_item = कार्य बिंदु
meetings-title = बैठकें
meeting-title = बैठक
meeting-plan = बैठक तय करें
meeting-kind = प्रकार
meeting-day = दिन
meeting-time = समय
meeting-venue = स्थान
meeting-agenda = कार्यसूची
meeting-agenda-hint = हर विषय अलग पंक्ति में, क्रम से।
meeting-agenda-required = कम से कम एक विषय लिखें।
meeting-bad-time = समय HH:MM में लिखें, जैसे 10:30।
meeting-decision = निर्णय
meeting-kind-monthly = पानी समिति की मासिक बैठक
meeting-kind-gram_sabha = ग्राम सभा
meeting-kind-special = विशेष बैठक
meeting-kind-with_engineer = खंड अभियंता के साथ बैठक
meeting-status-planned = तय
meeting-status-held = हुई
meeting-status-approved = कार्यवाही अनुमोदित
meeting-quorum = कोरम
meeting-quorum-met = कोरम पूरा
meeting-quorum-not-met = कोरम पूरा नहीं
meeting-quorum-detail = { $serving } में से { $present } सदस्य उपस्थित (ज़रूरी { $needed }); उनमें { $women } महिलाएँ (ज़रूरी { $women_needed })।
meeting-others = अन्य ग्रामीण उपस्थित: { $count }, जिनमें { $women } महिलाएँ।
meeting-attendance = उपस्थिति
meeting-members-present = उपस्थित सदस्य
meeting-others-present = अन्य उपस्थित ग्रामीण
meeting-others-women = उनमें महिलाएँ
meeting-women-more-than-present = महिलाएँ कुल उपस्थित लोगों से ज़्यादा नहीं हो सकतीं।
meeting-attendance-save = उपस्थिति सहेजें
meeting-approve = कार्यवाही अनुमोदित करें
meeting-approve-hint = अनुमोदन के बाद बैठक में कुछ बदला नहीं जा सकता।
meeting-locked = इस बैठक की कार्यवाही अनुमोदित है; अब बदली नहीं जा सकती।
meeting-not-held = कार्यवाही अनुमोदित करने से पहले उपस्थिति दर्ज करें।
meeting-locked-note = कार्यवाही अनुमोदित (अब बदली नहीं जा सकती):
flash-meeting-planned = बैठक तय हुई।
flash-meeting-attendance = उपस्थिति सहेजी गई; कोरम नीचे है।
flash-meeting-approved = कार्यवाही अनुमोदित; अब बैठक में कुछ बदला नहीं जा सकता।

## कार्यवाही, परिशिष्ट, कार्य बिंदु, निर्णय, नियमितता
field-gp = ग्राम पंचायत
meeting-lang = कार्यवाही की भाषा
minutes-title = कार्यवाही
minutes-print = कार्यवाही छापें
minutes-hint = हर एजेंडा बिंदु के नीचे लिखें कि क्या चर्चा हुई और क्या निर्णय हुआ। अनुमोदन तक कार्यवाही बदली जा सकती है।
minutes-hint-inquorate = कोरम पूरा नहीं था: इस बैठक के निर्णयों की पुष्टि अगली बैठक में करनी पड़ सकती है।
minutes-discussion = चर्चा
minutes-save = कार्यवाही सहेजें
minutes-draft = मसौदा: यह कार्यवाही अभी अनुमोदित नहीं है।
minutes-present = उपस्थिति
minutes-present-yes = उपस्थित
minutes-present-no = अनुपस्थित
minutes-proceedings = कार्यवाही और निर्णय
minutes-signed-secretary = सदस्य सचिव:
meeting-approve-inquorate = कोरम पूरा नहीं था। आप फिर भी कार्यवाही अनुमोदित कर सकते हैं; उसमें यह लिखा रहेगा।
meeting-photos = हस्ताक्षरित उपस्थिति रजिस्टर
meeting-photo-alt = हस्ताक्षरित उपस्थिति रजिस्टर की फ़ोटो
meeting-photos-none = अभी कोई फ़ोटो नहीं।
meeting-photo-add = हस्ताक्षरित रजिस्टर की फ़ोटो जोड़ें
meeting-photo-hint = JPEG या PNG फ़ोटो; एक बैठक में अधिकतम तीन।
meeting-photo-upload = फ़ोटो जोड़ें
photo-none = पहले फ़ोटो चुनें।
addenda-title = परिशिष्ट
addendum-to-item = बिंदु { $position } पर:
addendum-add = परिशिष्ट जोड़ें
addendum-hint = अनुमोदित कार्यवाही बदली नहीं जाती। सुधार परिशिष्ट के रूप में आपके नाम और समय के साथ जुड़ता है।
addendum-item = किस एजेंडा बिंदु का सुधार (वैकल्पिक)
addendum-body = सुधार
meeting-addendum-not-approved = परिशिष्ट अनुमोदित कार्यवाही के लिए हैं; तब तक कार्यवाही ही बदलें।
actions-title = कार्य बिंदु
actions-everyone = सबके कार्य बिंदु
action-title = कार्य बिंदु
action-add = कार्य बिंदु जोड़ें
action-description = क्या करना है
action-owner = कौन करेगा
action-owner-none = अभी कोई नाम नहीं
action-due = कब तक
action-decision = किस निर्णय से
action-scheme = योजना (वैकल्पिक)
action-breakdown = खराबी (वैकल्पिक)
action-breakdown-hint = शिकायत संख्या, जैसे 23010101-B5
action-household = परिवार (वैकल्पिक)
action-household-hint = कनेक्शन संख्या
action-link-not-found = इस ग्राम पंचायत में नहीं मिला।
action-status-open = खुला
action-status-done = पूरा
action-status-dropped = छोड़ा गया
action-status-overdue = समय निकल गया
action-closed-on = निपटाने की तारीख
action-note = टिप्पणी
action-note-hint = क्या किया गया; या क्यों छोड़ा (तब ज़रूरी)।
action-links = किस बारे में
action-close = पूरा या छोड़ा गया दर्ज करें
action-drop-reason-required = बताएँ कि क्यों छोड़ा गया।
action-closed = यह कार्य बिंदु पहले ही निपटाया जा चुका है।
flash-meeting-minutes = कार्यवाही सहेजी गई।
flash-meeting-addendum = परिशिष्ट जुड़ा।
flash-meeting-photos = फ़ोटो जुड़ी।
flash-action-added = कार्य बिंदु जुड़ा।
flash-action-closed = कार्य बिंदु निपटाया गया।
decisions-title = निर्णय रजिस्टर
decisions-search-hint = बिंदु या निर्णय के शब्द
regularity-title = बैठकों की नियमितता
regularity-hint = पानी समिति की बैठक हर महीने होनी चाहिए। जिन ग्राम पंचायतों में सबसे लंबे समय से बैठक नहीं हुई, वे पहले हैं।
regularity-summary = { $total } में से { $missed } ग्राम पंचायतों की मासिक बैठक छूट गई है।
regularity-last = पिछली बैठक
regularity-months = कितने महीने पहले
regularity-next = अगली तय बैठक
regularity-held = इस महीने हुई
regularity-due = इस महीने की बैठक होनी है
regularity-missed = मासिक बैठक छूटी
regularity-never = कोई बैठक दर्ज नहीं
regularity-months-ago = { $months ->
    [0] इस महीने
    [one] पिछले महीने
   *[other] { $months } महीने पहले
}
regularity-never-met = अभी तक कोई बैठक दर्ज नहीं हुई।
regularity-open-actions = खुले कार्य बिंदु: { $open } ({ $overdue } का समय निकल गया)
committee-member-account = पानी में उनका खाता (वैकल्पिक)
committee-member-no-account = कोई खाता नहीं

## अनुस्मारक, सूचनाएँ और शेड्यूलर
nav-jobs = शेड्यूलर
inbox-title = अनुस्मारक
inbox-bell = { $count ->
    [0] अनुस्मारक: कोई नया नहीं
   *[other] अनुस्मारक: { $count } नए
}
inbox-area = प्रकार
inbox-area-maintenance = रखरखाव
inbox-area-water = पानी की गुणवत्ता
inbox-area-breakdowns = खराबियाँ
inbox-area-meetings = बैठकें और कार्य बिंदु
inbox-area-assets = परिसंपत्तियाँ और योजनाएँ
inbox-area-billing = बिलिंग
inbox-only-unread = केवल नए
inbox-read-all = सब पढ़ा हुआ मानें
inbox-mark-read = पढ़ा हुआ मानें
inbox-empty = याद दिलाने को कुछ नहीं।
flash-inbox-read = पढ़ा हुआ माना गया।
reminder-task_due_soon = { $label } { $due } को करना है।
reminder-task_overdue = { $label } { $due } को करना था और अभी नहीं हुआ।
reminder-task_overdue_engineer = बहुत दिनों से बाकी: { $label } ({ $due } को करना था)।
reminder-water_test_overdue = पानी की जाँच बाकी: { $label } ({ $due } को करनी थी)।
reminder-water_out_of_range = पानी की गुणवत्ता सीमा से बाहर: { $label }, { $due }।
reminder-breakdown_unacknowledged = खराबी { $label } की समय पर पावती नहीं हुई।
reminder-breakdown_escalated = खराबी { $label } की समय सीमा निकल गई; आपको भेजी गई।
reminder-breakdown_escalated_district = खराबी { $label } अभी भी ठीक नहीं: ज़िले को भेजी गई।
reminder-action_due_soon = कार्य बिंदु { $due } तक: { $label }
reminder-action_overdue = कार्य बिंदु { $due } से बाकी: { $label }
reminder-asset_life_early = { $label } की अपेक्षित आयु { $due } को पूरी होगी: बदलने की योजना बनाएँ।
reminder-asset_life_late = { $label } की अपेक्षित आयु { $due } को पूरी होगी।
reminder-asset_warranty = { $label } की वारंटी { $due } को समाप्त होगी।
reminder-supply_not_logged = { $label } की पानी आपूर्ति कुछ दिनों से दर्ज नहीं हुई है।
reminder-scheme_design_end = { $label } की डिज़ाइन अवधि { $due } को समाप्त होगी।
reminder-meeting_due = { $label }: इस महीने की पानी समिति बैठक होनी है।
reminder-meeting_missed = { $label }: पिछले महीने पानी समिति की बैठक नहीं हुई।
reminder-demands_not_raised = { $label }: इस महीने की माँग अभी नहीं बनी।
reminder-no_collection = { $label }: पिछले महीने कोई जल शुल्क वसूल नहीं हुआ।
jobs-title = शेड्यूलर के रन
jobs-enabled = सर्वर हर { $seconds } सेकंड में चलता है।
jobs-disabled = इस सर्वर में शेड्यूलर बंद है (jobs.enabled = false); `paani jobs run` चलाएँ।
jobs-started = शुरू
jobs-run-at = किस समय के लिए
jobs-by = किसने
jobs-did = क्या किया
jobs-status-running = चल रहा है
jobs-status-ok = पूरा
jobs-status-failed = एक काम विफल
jobs-status-busy = दूसरा रनर व्यस्त था
jobs-status-abandoned = अधूरा छोड़ा गया: रनर बीच में रुक गया
jobs-abandoned-at = छोड़ा गया:
jobs-lease-lost = शेड्यूलर दूसरे रनर ने ले लिया।
email-hello = नमस्ते { $name },
email-one-reminder = पानी से आपके लिए एक अनुस्मारक:
email-digest-intro = पानी से आपके लिए { $count } नए अनुस्मारक:
email-digest-subject = पानी: { $count } नए अनुस्मारक
email-inbox = आपके सभी अनुस्मारक
email-footer = यह आपको इसलिए मिला क्योंकि आप पानी के साथ काम करते हैं। अनुस्मारक कैसे मिलें, यह अपने खाते के पेज पर बदलें।
account-reminders = ई-मेल से अनुस्मारक
account-reminders-no-email = पानी में आपका ई-मेल पता नहीं है: अनुस्मारक यहाँ (ऊपर घंटी) मिलेंगे, और नीचे SMS चालू करें तो SMS से भी।
account-reminders-by-email = मेरे अनुस्मारक ई-मेल से भेजें
email-pref-immediate = हर एक, आते ही
email-pref-digest = दिन में एक बार, सब साथ
email-pref-off = ई-मेल से नहीं
flash-email-pref-saved = सहेजा गया: ई-मेल से अनुस्मारक कैसे मिलें।
jobs-mail = ई-मेल
jobs-mail-waiting = { $count } संदेश भेजे जाने की प्रतीक्षा में (माध्यम: { $transport })।
jobs-mail-given-up = छोड़ा गया
jobs-mail-subject = विषय
jobs-mail-tries = प्रयास
jobs-mail-error = अंतिम त्रुटि
jobs-mail-none-failed = कोई संदेश छोड़ा नहीं गया।
meeting-minutes-before-attendance = पहले उपस्थिति दर्ज करें: कार्यवाही उपस्थिति (और कोरम) के बाद लिखी जाती है।
action-closed-before-meeting = जिस बैठक ने तय किया, उससे पहले की तारीख पर निपटाया नहीं जा सकता।
action-asset = परिसंपत्ति (वैकल्पिक)
demands-automatic = शेड्यूलर से बनने वाली माँग
demands-automatic-hint = स्वचालित पर रखी ग्राम पंचायत की हर महीने की माँग महीने की { $day } तारीख से अपने आप बनती है; बाकी को यहाँ बनाने की याद दिलाई जाती है।
demands-automatic-on = स्वचालित
demands-automatic-off = हाथ से
demands-automatic-turn-on = अपने आप बनाएँ
demands-automatic-turn-off = हाथ से बनाएँ
flash-demands-automatic = सहेजा गया: इस ग्राम पंचायत की माँग कैसे बने।
reminder-defaulters_ready = इस महीने की बकायादार सूची तैयार है: { $label } परिवारों का कई महीनों का बकाया है।

## डैशबोर्ड
nav-dashboard = डैशबोर्ड
dash-title = डैशबोर्ड
dash-open = ग्राम पंचायत का डैशबोर्ड खोलें
dash-as-of = { $time } तक के आँकड़े
dash-now = अभी करने के काम
dash-nothing-urgent = कुछ भी ज़रूरी बाकी नहीं। बहुत बढ़िया।
dash-breakdowns-overdue = { $count ->
        [one] { $count } खराबी मरम्मत की समय-सीमा पार कर चुकी है
       *[other] { $count } खराबियाँ मरम्मत की समय-सीमा पार कर चुकी हैं
    }
dash-breakdowns-escalated = { $count ->
        [one] { $count } खराबी ऊपर भेजी गई
       *[other] { $count } खराबियाँ ऊपर भेजी गईं
    }
dash-tasks-overdue = { $count } रखरखाव कार्य समय से पीछे
dash-tasks-due-now = { $count } रखरखाव कार्य अभी करने हैं
dash-actions-overdue = { $count } कार्य-बिंदु समय से पीछे
dash-unread = { $count ->
        [one] { $count } अनपढ़ा अनुस्मारक
       *[other] { $count } अनपढ़े अनुस्मारक
    }
dash-of-them-overdue = { $count } समय से पीछे
dash-schemes = योजनाएँ
dash-maintenance = रखरखाव
dash-money = पैसा
dash-meetings = पानी समिति
dash-charts = रुझान
dash-uptime-90 = पानी मिला (90 दिन)
dash-repair-90 = मरम्मत का औसत (माध्यिका) समय (90 दिन)
dash-compliance-month = इस महीने समय पर हुए
dash-compliance-3m = पिछले 3 महीनों में समय पर हुए
dash-month-collection = इस महीने की माँग में से वसूला
dash-last-meeting = पिछली बैठक
dash-next-meeting = अगली बैठक
dash-actions-open = खुले कार्य-बिंदु
dash-ok = ठीक
dash-not-ok = ठीक नहीं
dash-all = सभी राज्य
dash-gps = { $count ->
        [one] { $count } ग्राम पंचायत
       *[other] { $count } ग्राम पंचायतें
    }
dash-by = हर { $level } की एक पंक्ति
dash-no-gps = यहाँ अभी कोई ग्राम पंचायत नहीं है।
dash-without-meeting = 2 महीने से बिना बैठक वाली ग्राम पंचायतें
dash-score-note = पंक्तियाँ "ध्यान चाहिए" अंक से क्रम में हैं: जितना ऊँचा, उतनी जल्दी दौरा ज़रूरी। किसी शीर्षक पर क्लिक करके उसी से क्रम बदलें।
dash-col-name = नाम
dash-col-score = ध्यान
dash-col-functional = चालू योजनाएँ
dash-col-open = खुली खराबियाँ
dash-col-escalated = ऊपर भेजी गईं
dash-col-repair = मरम्मत के माध्यिका घंटे (90 दिन)
dash-col-uptime = आपूर्ति % (90 दिन)
dash-col-compliance = समय पर रखरखाव % (3 महीने)
dash-col-collection = वसूली % (3 महीने)
dash-col-recovery = लागत वसूली % (12 महीने)
dash-col-fund = संचालन-रखरखाव कोष शेष
dash-col-meeting = बैठक को बीते महीने
dash-col-composition = समिति की संरचना
dash-col-tasks-due = अभी करने के कार्य
dash-col-tasks-overdue = पीछे छूटे कार्य
dash-month = महीना
dash-demand = माँग
dash-collected = वसूला
dash-efficiency = वसूली %
dash-reported = दर्ज
dash-resolved = ठीक हुईं
dash-repair-median = मरम्मत के माध्यिका घंटे
# hours after a number (a repair took "41.0 h")
dash-hours-short = घंटे
dash-compliance = समय पर %
dash-tasks-due = देय कार्य
dash-tasks-on-time = समय पर हुए
dash-scheme = योजना
dash-uptime = आपूर्ति
dash-age = उम्र
dash-age-months = { $months ->
        [one] { $months } महीना
       *[other] { $months } महीने
    }
dash-unpaid = बकाया
chart-show-data = आँकड़े दिखाएँ
chart-collection = हर महीने की माँग और वसूली
chart-breakdowns = हर महीने दर्ज और ठीक हुई खराबियाँ
chart-repair = हर महीने मरम्मत का माध्यिका समय (घंटे)
chart-compliance = हर महीने देय और समय पर हुए रखरखाव कार्य
chart-uptime = हर योजना की आपूर्ति, पिछले 90 दिन
chart-arrears = उम्र के हिसाब से बकाया
report-monthly = मासिक संचालन-रखरखाव रिपोर्ट
report-other-lang = In English
report-printed-on = { $day } को छापा गया
report-service = सेवा
report-schemes = चालू सेवा में योजनाएँ
report-not-functional = काम नहीं कर रहीं या मरम्मत में
report-uptime = पानी मिला (महीने का हिस्सा)
report-downtime = आपूर्ति बंद रहने के दिन (सभी योजनाएँ)
report-maintenance = रखरखाव
report-breakdowns = खराबी और मरम्मत
report-repair-p90 = मरम्मत के घंटे, 10 में से 9 इतने में
report-finances = वित्त (संचालन-रखरखाव कोष)
report-opening = प्रारंभिक शेष
report-income = आय (जल शुल्क और अन्य)
report-expense = खर्च
report-closing = अंतिम शेष
report-meetings = बैठकें
report-meetings-held = { $count ->
        [one] { $count } बैठक हुई
       *[other] { $count } बैठकें हुईं
    }
report-by-gp = हर ग्राम पंचायत का ब्योरा
report-sign-secretary = सचिव के हस्ताक्षर
report-sign-president = अध्यक्ष के हस्ताक्षर
error-bad-month = महीना 2026-11 जैसा लिखें, और आगे का न हो।
review-last-90 = पिछले 90 दिन: { $uptime }% समय पानी मिला; { $count ->
        [one] { $count } खराबी ठीक हुई।
       *[other] { $count } खराबियाँ ठीक हुईं।
    }

## Set-up warnings shown to admins
setup-base-url-missing = सार्वजनिक पता (server.base_url) सेट नहीं है: QR कार्ड, ई-मेल और साझा रसीदों के लिंक { $url } पर जाते हैं, जो फ़ोन पर नहीं खुलता। इसे वह पता बनाएँ जिससे लोग Paani खोलते हैं।
setup-base-url-loopback = सार्वजनिक पता (server.base_url) { $url } है, जो केवल इसी मशीन पर खुलता है, जबकि Paani { $listen } पर सुन रहा है: QR कार्ड, ई-मेल और साझा रसीदों के लिंक फ़ोन पर नहीं खुलेंगे। इसे वह पता बनाएँ जिससे लोग Paani खोलते हैं।

# forms: lengths and short pages
meeting-attendance-record = उपस्थिति दर्ज करें
field-max-lines = अधिकतम { $items } प्रविष्टियाँ, हर एक में अधिकतम { $chars } अक्षर।

# scheme health card
health-breakdowns = खराबियाँ
health-open = खुली
health-past-deadline = मरम्मत की समय-सीमा निकल गई
health-escalated = ऊपर भेजी गईं
health-age = { $days ->
    [0] आज दर्ज
    [one] { $days } दिन पहले दर्ज
   *[other] { $days } दिन पहले दर्ज
}
health-deadline = मरम्मत { $time } तक
health-late = देर
health-none-open = कोई खराबी खुली नहीं है।
health-see-all = सब देखें
health-uptime = पानी की सप्लाई और मरम्मत
health-water-90 = पानी मिला (90 दिन)
health-water-12 = पानी मिला (12 महीने)
health-repair-90 = { $count ->
    [one] मरम्मत का बीच का समय (90 दिन, 1 मरम्मत)
   *[other] मरम्मत का बीच का समय (90 दिन, { $count } मरम्मतें)
}
health-repair-12 = { $count ->
    [one] मरम्मत का बीच का समय (12 महीने, 1 मरम्मत)
   *[other] मरम्मत का बीच का समय (12 महीने, { $count } मरम्मतें)
}
health-maintenance = रखरखाव
health-tasks-due = अभी करने वाले काम
health-tasks-overdue = देर वाले काम
health-compliance = समय पर हुए, पिछले 3 महीने ({ $due } में से { $on_time })
health-last-work = आखिरी काम: { $title }, { $date } को
health-no-work = अभी कोई काम दर्ज नहीं है।
health-assets = जिन उपकरणों की उम्र पूरी होने वाली है
health-life-ends = उम्र { $date } को पूरी
health-none-nearing = अगले { $months } महीनों में कोई नहीं।
health-budget = { $count ->
    [one] डिज़ाइन अवधि ({ $date }) तक बदलने का बजट (1 उपकरण)
   *[other] डिज़ाइन अवधि ({ $date }) तक बदलने का बजट ({ $count } उपकरण)
}
health-without-cost = { $count ->
    [one] 1 की लागत दर्ज नहीं
   *[other] { $count } की लागत दर्ज नहीं
}
health-no-design-end = डिज़ाइन अवधि कब खत्म होगी, यह पता नहीं है।
health-billing = { $count ->
    [one] जुड़े घर: 1
   *[other] जुड़े घर: { $count }
}
health-this-month = इस महीने
health-12-months = पिछले 12 महीने
health-arrears = बकाया
health-costs = रखरखाव का खर्च
health-entries = { $count ->
    [0] कोई प्रविष्टि नहीं
    [one] { $count } प्रविष्टि
   *[other] { $count } प्रविष्टियाँ
}
health-costs-note = इस योजना की मरम्मत और रखरखाव के लिए रोकड़ बही में दर्ज खर्च।
health-card-uptime = पानी मिला, पिछले 90 दिन
health-card-open = खुली खराबियाँ
health-card-collection = वसूली, पिछले 12 महीने
health-card-arrears = बकाया
health-supply = इस महीने जल आपूर्ति
health-supply-functionality = कार्यशीलता (जल जीवन मिशन)
health-supply-lpcd = लीटर प्रति व्यक्ति प्रति दिन (मानक { $norm })
health-supply-regularity = तय दिनों में आपूर्ति
health-supply-days = { $logged } दिन दर्ज, { $without ->
        [0] बिना पानी का कोई दिन नहीं।
       *[other] { $without } दिन बिना पानी।
    }
health-water-quality = पानी की गुणवत्ता
health-wq-last = पिछली जाँच { $date }
health-wq-none = इस योजना के नमूना स्थलों पर अभी कोई जाँच दर्ज नहीं है।
health-wq-failed = पिछले 12 महीनों में { $count } जाँच मानक पर खरी नहीं उतरी।

# tables and where-lines
asset-name-hi-hint = ज़रूरी नहीं। हिन्दी में Paani पढ़ने वालों को यही नाम दिखेगा; बाकी सबको ऊपर वाला नाम।
table-narrow-hint = फ़ोन पर तालिका में मुख्य आँकड़े दिखते हैं; सारे आँकड़े देखने के लिए पंक्ति का नाम खोलें।

# field/supplyfin: WhatsApp share on demand notices and the scheme card (issue 27 item 5)
demand-notice-title = पानी बिल सूचना
demand-notice-month = महीना
demand-notice-due-on = भुगतान की अंतिम तिथि
demand-notice-late-fee = विलंब शुल्क सहित
demand-notice-balance = आज तक कुल बकाया
demand-notice-share-text = { $month } का पानी बिल:
scheme-card-share-text = { $scheme } की जल आपूर्ति: समस्या बताएँ या सूचना देखें

# field/sms-otp: log-in by phone with a one-time code by SMS (issue 27 item 7)
login-with-code = SMS से कोड मँगाकर लॉग इन करें
otp-title = SMS के कोड से लॉग इन
otp-phone-help = पानी में आपके खाते में जो मोबाइल नंबर लिखा है, वही लिखें। उस पर SMS से 6 अंकों का कोड आएगा।
action-send-code = मुझे कोड भेजें
otp-sent = अगर { $phone } किसी ऐसे खाते का नंबर है जो फ़ोन से लॉग इन कर सकता है, तो उस पर SMS से 6 अंकों का कोड भेज दिया गया है। यह 5 मिनट तक चलेगा।
field-otp-code = SMS में आया कोड
otp-code-invalid = कोड के 6 अंक लिखें।
otp-wrong = यह कोड गलत है या अब नहीं चलता। SMS देखें, या नया कोड मँगाएँ।
otp-throttled = बहुत बार कोड मँगाया गया। आप { $time } बजे ({ $minutes } मिनट बाद) फिर से मँगा सकते हैं।
otp-new-code = नया कोड मँगाएँ
otp-use-password = यूज़रनेम और पासवर्ड से लॉग इन करें
audit-detail-otp-requested = { $phone } पर SMS से लॉग-इन कोड भेजा
audit-detail-otp-requested-unknown = { $phone } के लिए लॉग-इन कोड मँगाया गया: इस नंबर से कोई खाता लॉग इन नहीं कर सकता, कुछ नहीं भेजा
audit-detail-otp-failed = { $phone } के लिए गलत लॉग-इन कोड
audit-detail-login-otp = SMS के कोड से लॉग इन किया
audit-detail-login-otp-kept = SMS के कोड से लॉग इन किया (इस फ़ोन पर लॉग इन रहेगा)

## Working without a signal (issue 28): idempotency keys
idempotency-key-reused = यह कुंजी पहले किसी दूसरे अनुरोध के लिए इस्तेमाल हो चुकी है। कुछ दर्ज नहीं हुआ; नया रिकॉर्ड नई कुंजी के साथ भेजें।
idempotency-key-in-flight = यही रिकॉर्ड अभी सहेजा जा रहा है। उसे देखने के लिए सूची खोलें।
flash-already-recorded = यह पहले ही दर्ज हो चुका था; दोबारा दर्ज नहीं हुआ।

## Working without a signal (issue 28): changed meanwhile, needs your decision
conflict-title = इस बीच बदल गया: आपका फ़ैसला चाहिए
conflict-task-done = आपका फ़ॉर्म भरे जाने के बाद यह काम किसी और ने पूरा या बंद कर दिया। आपका कुछ भी अभी दर्ज नहीं हुआ: इसे छोड़ दें, या दोनों रखें (आपका काम पहले वाले के साथ अतिरिक्त काम के रूप में)।
conflict-breakdown-closed = आपका फ़ॉर्म भरे जाने के बाद यह खराबी हल, बंद या अस्वीकार कर दी गई। आपका कुछ भी अभी दर्ज नहीं हुआ: इसे छोड़ दें, या दोनों रखें (आपकी टिप्पणी उसके ब्योरे में जुड़ेगी; स्थिति वही रहेगी)।
conflict-household-disconnected = आपकी सूची पिछली बार अपडेट होने के बाद इस परिवार का कनेक्शन काट दिया गया। भुगतान अभी दर्ज नहीं हुआ: इसे छोड़ दें, या पैसा लिया जा चुका हो तो फिर भी दर्ज करें।
conflict-task-done-summary = { $by } ने { $date } को पूरा किया
conflict-task-done-summary-what = { $by } ने { $date } को पूरा किया: { $what }
conflict-task-skipped-summary = { $date } को छोड़ा गया: { $reason }
conflict-task-closed-summary = काम की स्थिति: { $state }
conflict-breakdown-summary = खराबी { $no } { $date } से { $status } है
conflict-breakdown-summary-what = खराबी { $no } { $date } से { $status } है: { $what }
conflict-household-summary = कनेक्शन { $no } ({ $name }) { $date } को काटा गया
conflict-household-summary-why = कनेक्शन { $no } ({ $name }) { $date } को काटा गया: { $reason }
conflict-server-version = अभी जो दर्ज है
conflict-see-record = रिकॉर्ड खोलें
conflict-choose = आपने जो भेजा, उसका क्या करें?
conflict-choice-discard = मेरा छोड़ दें
conflict-choice-keep_both = दोनों रखें
conflict-choice-send_anyway = फिर भी दर्ज करें
conflict-also-done-note = { $date } को भी किया गया, काम पूरा हो जाने के बाद फ़ोन से भेजा गया।
flash-conflict-kept-both = पहले से दर्ज रिकॉर्ड के साथ रख लिया गया; उसमें कुछ नहीं बदला।
audit-detail-work-beside = { $title }, इस बीच पूरे हुए काम के साथ रखा गया{ $photos ->
    [0] {""}
   *[other] , { $photos } फ़ोटो
}
## Working without a signal (issue 28): the installable app and its outbox
outbox-title = आउटबॉक्स
outbox-intro = बिना सिग्नल के इस फ़ोन पर सहेजे गए रिकॉर्ड। कनेक्शन लौटने पर ये एक-एक करके भेजे जाते हैं, और सर्वर की पुष्टि के बाद ही इस फ़ोन से हटते हैं।
outbox-noscript = आउटबॉक्स इस फ़ोन के ब्राउज़र में रहता है और उसे दिखाने के लिए JavaScript चाहिए। JavaScript बंद होने पर फ़ॉर्म तुरंत भेजे जाते हैं और यहाँ कुछ नहीं रुकता।
outbox-empty = भेजने के लिए कुछ बाकी नहीं है।
outbox-send-now = अभी भेजें
outbox-export = सब निर्यात करें (फ़ाइल)
outbox-export-hint = बाकी सभी रिकॉर्ड, फ़ोटो सहित, एक फ़ाइल में — ब्राउज़र का डेटा मिटाने से पहले रखने या साझा करने के लिए।
outbox-state-waiting = बाकी है
outbox-state-sending = भेजा जा रहा है…
outbox-state-failed = नहीं हुआ
outbox-state-decision = आपका फ़ैसला चाहिए
outbox-state-login = भेजने के लिए लॉग इन करें
outbox-retry = फिर भेजें
outbox-discard = हटाएँ
outbox-discard-confirm = यह रिकॉर्ड हमेशा के लिए हटाएँ? यह भेजा नहीं जाएगा।
outbox-discard-yes = हाँ, हटाएँ
outbox-cancel = रद्द करें
outbox-open-form = फ़ॉर्म फिर खोलें
outbox-mine = आपका (इस फ़ोन पर)
outbox-theirs = सर्वर पर पहले से
outbox-choice-keep_both = दोनों रखें
outbox-choice-send_anyway = फिर भी भेजें
outbox-saved-at = सहेजा गया
outbox-tries = प्रयास
outbox-why = कारण
outbox-persist-granted = फ़ोन में जगह कम होने पर भी यह ब्राउज़र आउटबॉक्स को रखेगा।
outbox-persist-denied = जगह कम होने पर ब्राउज़र आउटबॉक्स मिटा सकता है: इसे जल्दी भेजें या निर्यात करें।
outbox-login = आप लॉग आउट हैं: लॉग इन करें, फिर रिकॉर्ड भेजे जाएँगे।
outbox-network = सर्वर से कनेक्शन नहीं है: रिकॉर्ड रुके हैं और कनेक्शन लौटने पर भेजे जाएँगे।
offline-saved = इस फ़ोन पर सहेजा गया; सिग्नल मिलने पर भेजा जाएगा।
offline-banner-one = 1 रिकॉर्ड भेजा जाना बाकी है
offline-banner-many = %n रिकॉर्ड भेजे जाने बाकी हैं
offline-banner-open = आउटबॉक्स खोलें
offline-receipt-title = अस्थायी रसीद
offline-receipt-note = सर्वर पर भेजे जाने तक अस्थायी।
offline-receipt-print = छापें
offline-photo = फ़ोटो

## Receipt books (issue 28, item 5)
nav-receipt-books = रसीद बुक
receipt-books-title = रसीद बुक
receipt-books-intro = रसीद बुक इस वर्ष के रसीद नंबरों का एक खंड है, जो किसी एक वसूलीकर्ता के लिए सुरक्षित रखा जाता है, ताकि बिना नेटवर्क के लिए गए भुगतानों को भी नंबर मिले। बुक लौटने पर उसे बंद करें: उसके बचे नंबर लौटाए गए दर्ज होते हैं, ताकि वर्ष के हर नंबर का हिसाब रहे।
receipt-book-title = रसीद बुक
receipt-accounting-title = रसीद नंबरों का हिसाब
receipt-book-issue = रसीद बुक जारी करें
receipt-book-issue-action = बुक जारी करें
receipt-book-collector = वसूलीकर्ता
receipt-book-size = कितने नंबर
receipt-book-size-hint = 1 से { $max } तक। नंबर तुरंत सुरक्षित हो जाते हैं; ऑनलाइन दर्ज भुगतान इनके बाद के नंबर लेते हैं।
receipt-book-device = फ़ोन (वैकल्पिक)
receipt-book-device-hint = जैसे सुनीता का फ़ोन
receipt-book-numbers = नंबर
receipt-book-used = उपयोग हुए
receipt-book-returned = लौटाए गए
receipt-book-cancelled = रद्द
receipt-book-fate = नंबर का क्या हुआ
receipt-book-fy = वित्तीय वर्ष
receipt-book-status-open = वसूलीकर्ता के पास
receipt-book-status-closed = बंद
receipt-book-counts = उपयोग { $used } · लौटाए { $returned } · रद्द { $cancelled } · अभी खाली { $free }
receipt-book-close = बुक बंद करें
receipt-book-close-confirm = बुक वापस आ गई है। इसके { $free } बिना उपयोग के नंबर लौटाए गए दर्ज करें: इसके बाद कोई भुगतान इन्हें नहीं ले सकता।
receipt-book-close-action = बुक बंद करें
receipt-book-close-confirm-required = पुष्टि के लिए बॉक्स पर सही लगाएँ कि बुक वापस आ गई है।
receipt-leaf-cancel = यह पन्ना रद्द करें
receipt-leaf-cancel-confirm = हाँ, यह नंबर रद्द करें
receipt-fate-payment = भुगतान
receipt-fate-payment_cancelled = भुगतान, रद्द
receipt-fate-open = अप्रयुक्त, वसूलीकर्ता की बुक में
receipt-fate-returned = बिना उपयोग लौटाया गया
receipt-fate-cancelled = पन्ना रद्द
receipt-fate-missing = हिसाब में नहीं
receipt-accounting-all = सभी { $count } नंबरों का हिसाब है।
receipt-accounting-gaps = { $count ->
    [one] एक नंबर का हिसाब ठीक एक बार नहीं है।
   *[other] { $count } नंबरों का हिसाब ठीक एक बार नहीं है।
}
receipt-accounting-missing = जिन नंबरों का कोई हिसाब नहीं
receipt-accounting-doubled = जिन नंबरों का हिसाब दो बार है
receipt-accounting-from = से
receipt-accounting-to = तक
receipt-accounting-count = नंबर
receipt-book-collector-invalid = इस ग्राम पंचायत का ऐसा उपयोगकर्ता चुनें जो भुगतान दर्ज कर सकता है।
receipt-book-not-yours = यह आपकी रसीद बुक नहीं है।
receipt-book-other-gp = यह रसीद बुक परिवार की ग्राम पंचायत की नहीं, किसी दूसरी ग्राम पंचायत की है।
receipt-seq-outside-book = इस बुक में नंबर { $first } से { $last } तक हैं।
receipt-fy-invalid = वित्तीय वर्ष 2026-27 की तरह लिखें।
receipt-book-closed = यह रसीद बुक पहले ही बंद हो चुकी है।
receipt-leaf-used = इस रसीद नंबर पर पहले से एक भुगतान दर्ज है। बुक देखें: अगला खाली पन्ना लें।
receipt-leaf-returned = यह रसीद नंबर लौटाया या रद्द किया जा चुका है, इसलिए अब कोई भुगतान इसे नहीं ले सकता। तय करें: भुगतान नए नंबर से दर्ज करें, या सचिव से पूछें।
flash-receipt-book-issued = रसीद बुक जारी हुई। इसके नंबर सुरक्षित हैं।
flash-receipt-book-closed = रसीद बुक बंद हुई। इसके बचे नंबर लौटाए गए दर्ज हुए।
flash-receipt-leaf-cancelled = पन्ना रद्द हुआ।
audit-entity-receipt_book = रसीद बुक
audit-detail-receipt-book = रसीद बुक { $fy }: नंबर { $first } से { $last }, { $collector } को
audit-detail-receipt-book-closed = रसीद बुक बंद: { $used } उपयोग हुए, { $returned } लौटाए
audit-detail-receipt-leaf-cancelled = रसीद पन्ना { $seq } रद्द: { $reason }
payment-receipt-book = रसीद बुक (बिना नेटवर्क लिया भुगतान)
payment-receipt-book-none = कोई नहीं: अगला नंबर
payment-receipt-seq = बुक में पन्ने का नंबर
## Sync: pulling changes from the list APIs (issue 28, item 6)
sync-updated-since-bad = updated_since RFC 3339 रूप में समय होना चाहिए, जैसे 2026-12-08T10:00:00Z या 2026-12-08T15:30:00+05:30 (लिंक में + को %2B लिखें)।
sync-after-id-bad = after_id किसी रिकॉर्ड की id होनी चाहिए, और केवल updated_since के साथ आती है।
sync-page-size-bad = page_size 1 से 500 तक की पूर्ण संख्या होनी चाहिए।
sync-query-bad = सूची की क्वेरी पढ़ी नहीं जा सकी।
outbox-see-theirs = सर्वर वाला देखें
sync-cashbook-statement-only = month और scheme रोकड़ बही का विवरण चुनते हैं; बदलाव लेने (updated_since) में केवल gp दिया जा सकता है।
