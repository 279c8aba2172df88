//! The household register pages: list, form, household page, CSV export and import.

use crate::helpers::{location, plain_cells, Browser, TestApp};
use paani::places::Level;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Banapura GP (the demo secretary's) and two of its villages; a village of another GP.
const OWN_GP: i64 = 23010101;
const BANAPURA: i64 = 2301010101;
const KHAPARIYA: i64 = 2301010102;
const SHIVPUR: i64 = 2301010201;

fn village(app: &TestApp, lgd: i64) -> String {
    app.place_id(Level::Village, lgd).to_string()
}

/// Add a household through the API as `username`; its JSON.
async fn add(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app
        .client
        .post(app.url("/api/v1/households"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

fn basic(app: &TestApp, no: &str, lgd: i64) -> Value {
    json!({"village_id": village(app, lgd), "connection_no": no, "head_name": format!("Head {no}"),
           "category": "general", "connected_on": "2024-04-01"})
}

/// Upload a file for checking (the first step); nothing is written.
async fn preview(b: &Browser, csv: &[u8]) -> (StatusCode, String) {
    let token = b.csrf("/households/import").await;
    let form = reqwest::multipart::Form::new().text("_csrf", token).part(
        "file",
        reqwest::multipart::Part::bytes(csv.to_vec()).file_name("households.csv"),
    );
    let res = b
        .client
        .post(b.url("/households/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let s = res.status();
    (s, res.text().await.unwrap())
}

/// The file the preview hands back to its "import" button.
fn confirm_field(body: &str) -> Option<String> {
    let i = body.find("name=\"csv\" value=\"")?;
    let rest = &body[i + 18..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Check, then press "import these rows" on the preview.
async fn import(b: &Browser, csv: &[u8]) -> (StatusCode, String) {
    let (s, body) = preview(b, csv).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let Some(sent) = confirm_field(&body) else {
        return (s, body); // nothing to change: no button
    };
    let res = b
        .post_form(
            "/households/import",
            &[("csv", sent.as_str()), ("confirm", "1")],
        )
        .await;
    let s = res.status();
    (s, res.text().await.unwrap())
}

/// How a URL appears in an attribute (handlebars escapes `=`).
fn attr(s: &str) -> String {
    s.replace('=', "&#x3D;").replace("&#x3D;\"", "=\"")
}

fn name_of(app: &TestApp, no: &str) -> String {
    use diesel::prelude::*;
    use paani::db::schema::households as h;
    h::table
        .filter(h::connection_no.eq(no))
        .select(h::head_name)
        .first(&mut *app.conn())
        .unwrap()
}

#[tokio::test]
async fn list_searches_filters_and_pages() {
    let app = TestApp::spawn_with(|c| c.server.page_size = 5).await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let sec_token = app.api_token("secretary").await;
    let (own_scheme, _) = crate::schemes::demo_scheme_ids(&app);
    for n in 1..=7 {
        let no = format!("A-0{n}");
        let mut body = basic(&app, &no, if n >= 6 { KHAPARIYA } else { BANAPURA });
        match n {
            2 => body["category"] = json!("bpl"),
            3 => body["phone"] = json!("98260 12345"),
            4 => body["scheme_id"] = json!(own_scheme.to_string()),
            5 => {
                body["status"] = json!("disconnected");
                body["disconnected_on"] = json!("2025-01-10");
                body["status_reason"] = json!("moved away");
            }
            _ => {}
        }
        add(&app, &sec_token, body).await;
    }
    let sec = app.login_as("secretary").await;
    let (s, body) = sec.get_text("/households").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("<html lang=\"hi\">") && body.contains("परिवार रजिस्टर"));
    assert!(body.contains("href=\"/households\""), "the nav link");
    for no in ["A-01", "A-02", "A-03", "A-04", "A-06"] {
        assert!(body.contains(&format!("Head {no}")), "page 1 has {no}");
    }
    assert!(!body.contains("Head A-07") && !body.contains("Head A-05"));
    assert!(
        body.contains(&attr("href=\"/households?page=2\"")),
        "a next page"
    );
    assert!(
        body.contains("href=\"/households/new\"") && body.contains("href=\"/households/import\"")
    );
    let (_, body) = sec.get_text("/households?page=2").await;
    assert!(body.contains("Head A-07") && !body.contains("Head A-01"));
    // search: mobile, connection number (any case), name
    for (q, want) in [("98260", "A-03"), ("a-07", "A-07"), ("head%20a-02", "A-02")] {
        let (_, body) = sec.get_text(&format!("/households?q={q}")).await;
        assert!(body.contains(&format!("Head {want}")), "search {q}");
        assert_eq!(
            body.matches("class=\"card household").count(),
            1,
            "search {q}"
        );
    }
    // filters
    let kh = village(&app, KHAPARIYA);
    let (_, body) = sec.get_text(&format!("/households?village={kh}")).await;
    assert_eq!(body.matches("class=\"card household").count(), 2);
    assert!(body.contains("Head A-06") && body.contains("Head A-07"));
    let (_, body) = sec.get_text("/households?category=bpl").await;
    assert_eq!(body.matches("class=\"card household").count(), 1);
    assert!(
        body.contains(&attr("href=\"/households/export.csv?category=bpl\"")),
        "export keeps the filter"
    );
    let (_, body) = sec
        .get_text(&format!("/households?scheme={own_scheme}"))
        .await;
    assert_eq!(body.matches("class=\"card household").count(), 1);
    assert!(body.contains("Head A-04"));
    let (_, body) = sec.get_text("/households?status=disconnected").await;
    assert!(body.contains("Head A-05") && body.matches("class=\"card household").count() == 1);
    // "any" choices are empty values; all statuses: seven households over two pages
    let (s, body) = sec
        .get_text("/households?status=all&category=&village=&scheme=&q=")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body.matches("class=\"card household").count(), 5);
    let (_, body) = sec.get_text("/households?status=all&page=2").await;
    assert_eq!(body.matches("class=\"card household").count(), 2);
    assert!(body.contains("Head A-06") && body.contains("Head A-07"));
    // the export follows the same filters
    let csv = sec.get("/households/export.csv?category=bpl").await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains("A-02"));
    // members and engineers read; they are offered no changes
    for who in ["member", "engineer"] {
        let b = app.login_as(who).await;
        let (s, body) = b.get_text("/households").await;
        assert_eq!(s, StatusCode::OK, "{who}");
        assert!(body.contains("Head A-01"), "{who}");
        assert!(
            !body.contains("href=\"/households/new\"")
                && !body.contains("href=\"/households/import\"")
        );
    }
    let (s, _) = sec.get_text("/households?village=abc").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "a bad filter is not a crash");
}

#[tokio::test]
async fn form_creates_and_changes_with_csrf_and_errors_in_hindi() {
    let app = TestApp::with_demo().await;
    let sec = app.login_as("secretary").await;
    let (s, body) = sec.get_text("/households/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("name=\"_csrf\""));
    assert!(body.contains(&format!("value=\"{}\"", village(&app, KHAPARIYA))));
    assert!(
        !body.contains(&format!("value=\"{}\"", village(&app, SHIVPUR))),
        "only villages of the secretary's GP"
    );
    let banapura = village(&app, BANAPURA);
    let fields = [
        ("connection_no", "bn-101"),
        ("head_name", "रामलाल <b>यादव</b>"),
        ("village_id", banapura.as_str()),
        ("scheme_id", ""),
        ("members", "4"),
        ("category", "general"),
        ("connected_on", "2024-05-01"),
        ("status", "active"),
        ("phone", "9826011111"),
    ];
    // without the CSRF token: refused before anything happens
    let res = sec.post_form_raw("/households", &fields).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("households"), 0);
    let res = sec.post_form("/households", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/households/"), "{to}");
    let (s, body) = sec.get_text(&to).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("BN-101"));
    assert!(body.contains("रामलाल &lt;b&gt;यादव&lt;/b&gt;"), "escaped");
    assert!(
        body.contains(&format!("href=\"{to}/ledger\"")),
        "the ledger and payment link"
    );
    // errors beside the fields, in Hindi, with what was typed kept
    let bad = [
        ("connection_no", "bn-102"),
        ("head_name", ""),
        ("village_id", banapura.as_str()),
        ("members", "0"),
        ("category", "exempt"),
        ("connected_on", "2024-05-01"),
        ("phone", "12345"),
    ];
    let res = sec.post_form("/households", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("<html lang=\"hi\">"));
    assert!(
        body.contains("यह भरना ज़रूरी है।"),
        "head name and exempt reason"
    );
    assert!(body.contains("10 अंकों का भारतीय मोबाइल नंबर डालें।"));
    assert!(body.contains("value=\"bn-102\"") && body.contains("value=\"12345\""));
    // a village of another GP is not a choice
    let shivpur = village(&app, SHIVPUR);
    let mut other = fields.to_vec();
    other[0] = ("connection_no", "bn-103");
    other[2] = ("village_id", shivpur.as_str());
    let res = sec.post_form("/households", &other).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("दिए गए विकल्पों में से एक चुनें।"));
    // the same number twice
    let res = sec.post_form("/households", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("households"), 1);
    // edit: the form shows the stored values; a disconnection needs its date and reason
    let (s, body) = sec.get_text(&format!("{to}/edit")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("value=\"BN-101\"") && body.contains("value=\"2024-05-01\""));
    let mut edit = fields.to_vec();
    edit[0] = ("connection_no", "BN-101");
    edit[7] = ("status", "disconnected");
    let res = sec.post_form(&to, &edit).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    edit.push(("disconnected_on", "2025-02-01"));
    edit.push(("status_reason", "घर बंद"));
    let res = sec.post_form(&to, &edit).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, body) = sec.get_text(&to).await;
    assert!(body.contains("कनेक्शन कटा") && body.contains("घर बंद") && body.contains("01-02-2025"));
    assert_eq!(
        app.count("audit_log WHERE entity = 'household'"),
        2,
        "one create, one change"
    );
    // an administrator first says which GP
    let admin = app.login_as("admin").await;
    let (s, body) = admin.get_text("/households/new").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("name=\"gp\""));
    let gp = app.place_id(Level::Gp, OWN_GP);
    let (s, body) = admin.get_text(&format!("/households/new?gp={gp}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains(&attr(&format!("action=\"/households?gp={gp}\""))));
    assert!(body.contains(&format!("value=\"{banapura}\"")));
}

#[tokio::test]
async fn other_gps_households_are_not_found() {
    let app = TestApp::with_demo().await;
    let token = app.api_token("secretary").await;
    let h = add(&app, &token, basic(&app, "OWN-1", BANAPURA)).await;
    let id = h["id"].as_i64().unwrap();
    app.add_user("farsec", "secretary", Some(23010201));
    let far = app.login_as("farsec").await;
    for path in [
        format!("/households/{id}"),
        format!("/households/{id}/edit"),
    ] {
        let (s, _) = far.get_text(&path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    let banapura = village(&app, BANAPURA);
    let res = far
        .post_form(
            &format!("/households/{id}"),
            &[
                ("connection_no", "OWN-1"),
                ("head_name", "Taken over"),
                ("village_id", banapura.as_str()),
                ("category", "general"),
                ("connected_on", "2024-04-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(name_of(&app, "OWN-1"), "Head OWN-1");
    let (_, body) = far.get_text("/households?status=all").await;
    assert!(!body.contains("OWN-1"));
    let csv = far
        .get("/households/export.csv?status=all")
        .await
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("OWN-1"));
    // nor can a file reach into it, by GP or by village
    let (s, body) = preview(
        &far,
        b"gp_lgd_code,connection_no,village,head_name,category,connected_on\n23010101,OWN-1,2301010101,X,general,2024-04-01\n",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        plain_cells(&body).contains("<td>2</td><td>gp_lgd_code</td>"),
        "{body}"
    );
    let (s, body) = preview(
        &far,
        b"connection_no,village,head_name,category,connected_on\nOWN-1,2301010101,X,general,2024-04-01\n",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        plain_cells(&body).contains("<td>2</td><td>village</td>"),
        "{body}"
    );
    assert_eq!(app.count("households"), 1);
}

const FILE: &str = "connection_no,village,scheme_code,head_name,members,category,exempt_reason,connected_on,phone\n\
BN-001,2301010101,,Ramesh Kumar,5,general,,2024-04-01,9876543210\n\
BN-002,Khapariya,,कमला बाई,2,exempt,widow,01-06-2024,\n\
BN-003,2301010103,,\"Patel, Shyam\",,bpl,,2023-12-31,\n";

#[tokio::test]
async fn import_checks_first_then_writes_once() {
    let app = TestApp::with_demo().await;
    let sec = app.login_as("secretary").await;
    let (s, body) = sec.get_text("/households/import").await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("enctype=\"multipart/form-data\""));
    // the check writes nothing, and shows what would change
    let (s, body) = preview(&sec, FILE.as_bytes()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("3 नई"), "{body}");
    assert!(body.contains("कमला बाई") && body.contains("ये पंक्तियाँ इम्पोर्ट करें"));
    assert!(
        body.contains("<table class=\"stack\" id=\"import-changes\">")
            && body.contains("<td data-label=\"परिवार के मुखिया का नाम\">कमला बाई</td>"),
        "the preview becomes cards on a phone: {body}"
    );
    assert_eq!(app.count("households"), 0, "the preview writes nothing");
    assert_eq!(app.count("audit_log WHERE entity = 'household'"), 0);
    // confirm
    let (s, body) = import(&sec, FILE.as_bytes()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("3 पंक्तियाँ इम्पोर्ट हुईं: 3 नई"), "{body}");
    assert_eq!(app.count("households"), 3);
    assert_eq!(name_of(&app, "BN-003"), "Patel, Shyam");
    assert_eq!(
        app.count("audit_log WHERE entity = 'household' AND action = 'import'"),
        1
    );
    // the same file again: all unchanged, nothing new, no button
    let (s, body) = preview(&sec, FILE.as_bytes()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("3 वैसी ही") && confirm_field(&body).is_none(),
        "{body}"
    );
    let (s, body) = import(&sec, FILE.as_bytes()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("3 वैसी ही"));
    assert_eq!(app.count("households"), 3);
    // a changed row updates that household (the number in any case), never a second one
    let changed = FILE.replace("BN-002,Khapariya,,कमला बाई", "bn-002,Khapariya,,कमला देवी");
    let (s, body) = import(&sec, changed.as_bytes()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("1 बदलीं, 2 वैसी ही"), "{body}");
    assert_eq!(app.count("households"), 3);
    assert_eq!(name_of(&app, "BN-002"), "कमला देवी");
    assert_eq!(
        app.count("audit_log WHERE entity = 'household' AND action = 'import'"),
        2,
        "the unchanged file had nothing to import"
    );
}

#[tokio::test]
async fn a_bad_row_stops_the_whole_file() {
    let app = TestApp::with_demo().await;
    let sec = app.login_as("secretary").await;
    let bad = format!(
        "{FILE}BN-004,2301010101,,Rich,3,rich,,2024-01-01,\nBN-005,Nowhere,,X,3,general,,2024-01-01,\nBN-001,2301010101,,Again,3,general,,2024-01-01,\n"
    );
    let (s, body) = preview(&sec, bad.as_bytes()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("कुछ भी इम्पोर्ट नहीं हुआ"));
    // the problems become cards on a phone, each cell labelled
    assert!(
        body.contains("<table class=\"stack import-errors\">"),
        "{body}"
    );
    assert!(
        body.contains("<td data-label=\"लाइन\">5</td><td data-label=\"फ़ील्ड\">category</td>"),
        "{body}"
    );
    assert!(
        plain_cells(&body).contains("<td>5</td><td>category</td><td>दिए गए विकल्पों में से एक चुनें।</td>"),
        "{body}"
    );
    assert!(
        plain_cells(&body).contains("<td>6</td><td>village</td>"),
        "{body}"
    );
    assert!(
        plain_cells(&body)
            .contains("<td>7</td><td>connection_no</td><td>यह कनेक्शन नंबर फ़ाइल में दो बार आया है।</td>"),
        "{body}"
    );
    assert!(confirm_field(&body).is_none());
    // sent straight to the import step, it still writes nothing
    let res = sec
        .post_form("/households/import", &[("csv", ""), ("confirm", "1")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let token = sec.csrf("/households/import").await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("confirm", "1")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bad.into_bytes()).file_name("x.csv"),
        );
    let res = sec
        .client
        .post(sec.url("/households/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("households"), 0);
    assert_eq!(app.count("audit_log WHERE entity = 'household'"), 0);
    // files that are not CSV in UTF-8, or too long, are refused with a reason
    let latin1 = b"connection_no,village,head_name,category,connected_on\nBN-1,2301010101,Jos\xe9,general,2024-01-01\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for ch in "connection_no\n".encode_utf16() {
        utf16.extend_from_slice(&ch.to_le_bytes());
    }
    for file in [&latin1[..], &utf16[..]] {
        let (s, body) = preview(&sec, file).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("CSV UTF-8"), "{body}");
    }
    for file in [
        &b""[..],
        b"head_name\nX\n",
        b"nonsense,connection_no\n1,2\n",
        b"\"unclosed,\n\n",
    ] {
        let (s, _) = preview(&sec, file).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            String::from_utf8_lossy(file)
        );
    }
    let mut long = String::from("connection_no,village,head_name,category,connected_on\n");
    for i in 0..50_001 {
        long.push_str(&format!("L-{i},2301010101,H,general,2024-01-01\n"));
    }
    let (s, body) = preview(&sec, long.as_bytes()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("बहुत ज़्यादा लाइनें"), "too many rows");
    assert_eq!(app.count("households"), 0);
}

#[tokio::test]
async fn export_then_import_changes_nothing() {
    let app = TestApp::with_demo().await;
    let token = app.api_token("secretary").await;
    let (own_scheme, _) = crate::schemes::demo_scheme_ids(&app);
    let mut full = basic(&app, "RT-1", BANAPURA);
    full["scheme_id"] = json!(own_scheme.to_string());
    full["members"] = json!("6");
    full["phone"] = json!("+91 98260 22222");
    full["notes"] = json!("gate \"blue\", near well\nsecond line");
    full["head_name"] = json!("सीता देवी");
    let rt1 = add(&app, &token, full).await;
    let mut ex = basic(&app, "RT-2", KHAPARIYA);
    ex["category"] = json!("exempt");
    ex["exempt_reason"] = json!("disabled, no income");
    add(&app, &token, ex).await;
    let mut off = basic(&app, "RT-3", BANAPURA);
    off["status"] = json!("disconnected");
    off["disconnected_on"] = json!("2025-03-01");
    off["status_reason"] = json!("moved");
    add(&app, &token, off).await;
    let mut merged = basic(&app, "RT-4", BANAPURA);
    merged["status"] = json!("merged");
    merged["status_reason"] = json!("joined RT-1");
    merged["category"] = json!("st");
    add(&app, &token, merged).await;
    let sec = app.login_as("secretary").await;
    let (_, body) = sec
        .get_text(&format!("/households/{}/edit", rt1["id"]))
        .await;
    assert!(
        body.contains(">gate &quot;blue&quot;, near well\nsecond line</textarea>"),
        "a note's lines come back as typed (no indentation added): {body}"
    );
    let res = sec.get("/households/export.csv?status=all").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.bytes().await.unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM for Excel");
    let text = String::from_utf8(csv.to_vec()).unwrap();
    assert!(text.contains("gp_lgd_code,connection_no,village,scheme_code,head_name"));
    assert!(text.contains(&format!("{OWN_GP},RT-1,{BANAPURA},{OWN_GP}-")));
    let before = app.count("households");
    let (s, body) = import(&sec, &csv).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("4 वैसी ही"), "{body}");
    assert_eq!(app.count("households"), before);
    // an administrator's export names the GP of each row and comes back the same way
    let admin = app.login_as("admin").await;
    let csv = admin
        .get("/households/export.csv?status=all")
        .await
        .bytes()
        .await
        .unwrap();
    let (s, body) = import(&admin, &csv).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("4 unchanged"), "{body}");
    // without the GP column an administrator's file cannot say where the rows belong
    let (s, body) = preview(&admin, FILE.as_bytes()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("The column &quot;gp_lgd_code&quot; is missing."),
        "{body}"
    );
    // an edited copy of the export: one change, one new row
    let text = String::from_utf8(csv.to_vec()).unwrap();
    let edited = format!(
        "{}{OWN_GP},RT-5,{KHAPARIYA},,New Head,,sc,,2024-02-02,active,,,,\n",
        text.replace("joined RT-1", "joined RT-2")
    );
    let (s, body) = import(&admin, edited.as_bytes()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("1 new, 1 updated, 3 unchanged"), "{body}");
    assert_eq!(app.count("households"), before + 1);
}

// ---- from the factories alone (no demo data set) ----

/// A GP's secretary sees the GP's household with its demand, in the ledger API and on the
/// household page; raising the same month again adds nothing; another GP's secretary gets
/// 404 for the same household, as for a missing one.
#[tokio::test]
async fn a_households_demand_is_raised_once_and_seen_only_in_its_gp() {
    let app = TestApp::spawn().await;
    let gp = app.gp();
    let other = app.gp();
    app.secretary_of(&gp);
    app.secretary_of(&other);
    let household = app.household(&gp);
    assert_eq!(app.with_demands(&gp, "2026-04"), 1);
    assert_eq!(
        app.with_demands(&gp, "2026-04"),
        0,
        "a month is raised once"
    );

    let token = app.api_token(&format!("secretary-{}", gp.lgd)).await;
    let r = app
        .client
        .get(app.url(&format!("/api/v1/ledger/{household}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let ledger: Value = r.json().await.unwrap();
    let months = ledger["months"].as_array().expect("months");
    assert_eq!(months.len(), 1, "{ledger}");
    assert_eq!(ledger["standing"]["demanded_paise"], 5000, "{ledger}");
    assert_eq!(ledger["standing"]["balance_paise"], 5000, "{ledger}");

    let own = app.login_as(&format!("secretary-{}", gp.lgd)).await;
    let (status, page) = own.get_text(&format!("/households/{household}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Test Head"),
        "the household page names its head"
    );

    let foreign = app.login_as(&format!("secretary-{}", other.lgd)).await;
    let (status, _) = foreign.get_text(&format!("/households/{household}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let foreign_token = app.api_token(&format!("secretary-{}", other.lgd)).await;
    let r = app
        .client
        .get(app.url(&format!("/api/v1/ledger/{household}")))
        .bearer_auth(&foreign_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
