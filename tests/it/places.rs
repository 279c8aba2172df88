use crate::helpers::TestApp;
use paani::places::Level;
use reqwest::StatusCode;

async fn upload(
    b: &crate::helpers::Browser,
    level: &str,
    csv: &str,
    dry_run: bool,
) -> (StatusCode, String) {
    let token = b.csrf("/admin/places/import").await;
    let mut form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("level", level.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("places.csv"),
        );
    if dry_run {
        form = form.text("dry_run", "1");
    }
    let res = b
        .client
        .post(b.url("/admin/places/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let s = res.status();
    (s, res.text().await.unwrap())
}

#[tokio::test]
async fn csv_import_is_all_or_nothing_with_a_row_report() {
    let app = TestApp::with_demo().await;
    let admin = app.login_as("admin").await;
    let before = app.count("places");
    let bad = "lgd_code,name,name_hi,parent_lgd_code\n2301010401,Pipalner,पीपलनेर,23010101\nabc,Broken,,23010101\n2301010402,,,23010101\n2301010403,Orphan,,99999\n2301010401,Twice,,23010101\n";
    let (s, body) = upload(&admin, "village", bad, false).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("places"), before, "nothing imported");
    let cells = crate::helpers::plain_cells(&body);
    for line in ["<td>3</td>", "<td>4</td>", "<td>5</td>", "<td>6</td>"] {
        assert!(cells.contains(line), "report names line {line}");
    }
    assert!(!cells.contains("<td>2</td>"), "line 2 is fine");
    assert!(
        body.contains("<table class=\"stack import-errors\">"),
        "cards on a phone"
    );

    let good = "\u{feff}lgd_code,name,name_hi,parent_lgd_code\n2301010401,Pipalner,पीपलनेर,23010101\n2301010402,Sukhtawa,,23010102\n";
    let (s, _) = upload(&admin, "village", good, true).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(app.count("places"), before, "a dry run imports nothing");
    let (s, body) = upload(&admin, "village", good, false).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(app.count("places"), before + 2);
    // re-import updates, never duplicates
    let again = "2301010401,Pipalner Kalan,पीपलनेर कलां,23010101\n";
    let (s, _) = upload(&admin, "village", again, false).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(app.count("places"), before + 2);
    let mut c = app.conn();
    let p = paani::places::model::by_lgd(&mut c, Level::Village, 2301010401)
        .unwrap()
        .unwrap();
    assert_eq!(p.name, "Pipalner Kalan");
    assert_eq!(p.gp_id, Some(app.place_id(Level::Gp, 23010101)));
    drop(c);
    // an upload without the CSRF field is refused before anything is read
    let token_less = reqwest::multipart::Form::new()
        .text("level", "village")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"2301010409,Sneaky,,23010101\n".to_vec())
                .file_name("x.csv"),
        );
    let res = admin
        .client
        .post(admin.url("/admin/places/import"))
        .multipart(token_less)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("places"), before + 2);
    // line numbers count blank lines and quoted line breaks, as a spreadsheet would
    let tricky = "2301010405,\"Two\nLines\",,23010101\n\n2301010406,,,23010101\n";
    let (s, body) = upload(&admin, "village", tricky, false).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        crate::helpers::plain_cells(&body).contains("<td>4</td>"),
        "{body}"
    );
    // non-admins cannot import
    let sec = app.login_as("secretary").await;
    let (s, _) = upload(&sec, "village", good, false).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn forms_keep_input_and_show_errors_beside_fields() {
    let app = TestApp::with_demo().await;
    let admin = app.login_as("admin").await;
    let res = admin
        .post_form(
            "/admin/places",
            &[
                ("level", "village"),
                ("lgd_code", "12x"),
                ("name", "Keep <b>me</b>"),
                ("parent_lgd_code", "23010101"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("value=\"Keep &lt;b&gt;me&lt;&#x2F;b&gt;\"")
            || body.contains("Keep &lt;b&gt;me"),
        "input kept, escaped"
    );
    assert!(!body.contains("<b>me</b>"), "never unescaped");
    assert!(body.contains("class=\"field-error\""));
}

#[tokio::test]
async fn moving_a_block_moves_everything_under_it() {
    let app = TestApp::with_demo().await;
    let new_district = app.add_place(Level::District, 2398, "New District", Some(23));
    let block = {
        let mut c = app.conn();
        paani::places::model::by_lgd(&mut c, Level::Block, 230101)
            .unwrap()
            .unwrap()
    };
    let admin = app.login_as("admin").await;
    let res = admin
        .post_form(
            &format!("/admin/places/{}", block.id),
            &[
                ("level", "block"),
                ("lgd_code", "230101"),
                ("name", "Seoni Malwa"),
                ("name_hi", "सिवनी मालवा"),
                ("parent_lgd_code", "2398"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut c = app.conn();
    let village = paani::places::model::by_lgd(&mut c, Level::Village, 2301010101)
        .unwrap()
        .unwrap();
    assert_eq!(village.district_id, Some(new_district.id));
    assert_eq!(village.block_id, Some(block.id));
    // the district officer of the old district no longer sees it
    drop(c);
    let officer = app.login_as("officer").await;
    assert_eq!(
        officer
            .get(&format!("/places/{}", village.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn place_lists_are_scoped_paginated_and_searchable() {
    let app = TestApp::with_demo().await;
    let engineer = app.login_as("engineer").await;
    let (_, body) = engineer.get_text("/places?level=gp").await;
    assert!(body.contains("Banapura") && body.contains("Shivpur"));
    assert!(
        !body.contains("Matkuli"),
        "a GP of the other block is not listed"
    );
    let (_, body) = engineer.get_text("/places?q=shiv").await;
    assert!(body.contains("Shivpur") && !body.contains("Dhanori"));
    app.add_place(Level::Village, 2301010199, "Extra Gaon", Some(23010101));
    let admin = app.login_as("admin").await;
    let (_, body) = admin.get_text("/places?status=all").await;
    assert!(
        body.contains("rel=\"next\""),
        "26 places do not fit one page of 25"
    );
    let (_, body) = admin.get_text("/places?status=all&page=2").await;
    assert!(body.contains("rel=\"prev\""));
}

#[tokio::test]
async fn audit_log_records_and_filters() {
    let app = TestApp::with_demo().await;
    let admin = app.login_as("admin").await;
    let res = admin
        .post_form(
            "/admin/places",
            &[
                ("level", "village"),
                ("lgd_code", "555"),
                ("name", "Audit Gaon"),
                ("parent_lgd_code", "23010101"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (s, body) = admin
        .get_text("/admin/audit?entity=place&action=create")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Audit Gaon"));
    assert!(!body.contains("logged in"));
    let (_, body) = admin.get_text("/admin/audit?action=login").await;
    assert!(body.contains("logged in"));
    let (s, _) = admin
        .get_text("/admin/audit?from=-262143-01-01&to=%2B262143-12-31")
        .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "dates at the end of time do not crash the page"
    );
}
