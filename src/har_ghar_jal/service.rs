//! Har Ghar Jal use cases: save a village's checklist (with pages of the resolution's
//! scan), report it (the Gram Panchayat), certify it (the district); each checked and
//! written with its audit row in one transaction.

use super::model::{self, Document, Record};
use super::{missing, validate, ChecklistInput, Status, MAX_DOCUMENTS};
use crate::audit::{audited, Action, By, Detail, Entity};
use crate::auth::{Actor, Verb};
use crate::context::Ctx;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::Place;
use crate::web::i18n::today_in_india;
use crate::web::photos::Checked;

fn detail(key: &str, village: &Place) -> Detail {
    Detail::new(key).named("village", &village.name, village.name_hi.as_deref())
}

/// Save the checklist of a village inside the actor's scope, with new pages of the
/// resolution's scan (`documents`, checked like photos). Refused (409) once the village is
/// reported: its report stands as it was made.
pub fn save_checklist(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    village_id: i64,
    input: ChecklistInput,
    documents: Vec<Checked>,
) -> AppResult<Record> {
    actor.require(Verb::ReportHarGharJal)?;
    let root = ctx.config.storage.photos_dir.clone();
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let village = model::village_in_scope(c, &actor.scope, village_id)?;
        let gp = village.gp_id.ok_or(AppError::NotFound)?;
        let before = model::of_village(c, gp, village.id)?;
        if before.as_ref().is_some_and(|r| r.status() != Status::None) {
            return Err(AppError::Conflict("hgj-already-reported".into()));
        }
        let v = validate(&input, today_in_india(now)).map_err(AppError::Validation)?;
        let r = model::put_checklist(c, gp, village.id, &v, actor.id(), now)?;
        let have = model::documents_of(c, &r)?.len();
        if have + documents.len() > MAX_DOCUMENTS {
            let mut e = FieldErrors::new();
            e.add_with(
                "documents",
                "hgj-documents-too-many",
                &[("max", MAX_DOCUMENTS.to_string())],
            );
            return Err(AppError::Validation(e));
        }
        for d in &documents {
            let names = crate::web::photos::write_files(&root, gp, d)?;
            model::add_document(c, &r, names, d.mime, d.data.len() as i64, now)?;
        }
        log.add(
            if before.is_some() {
                Action::Update
            } else {
                Action::Create
            },
            Entity::HarGharJal,
            Some(r.id),
            detail("audit-detail-hgj-checklist", &village)
                .count("ticked", v.items.iter().filter(|x| **x).count() as i64)
                .count("documents", (have + documents.len()) as i64),
        );
        Ok(r)
    })
}

/// Report a village as Har Ghar Jal (the Gram Panchayat): its checklist complete, the
/// resolution dated and scanned. What is missing comes back as field errors (422).
pub fn report(ctx: &Ctx, actor: &Actor, ip: &str, village_id: i64) -> AppResult<Record> {
    actor.require(Verb::ReportHarGharJal)?;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let village = model::village_in_scope(c, &actor.scope, village_id)?;
        let gp = village.gp_id.ok_or(AppError::NotFound)?;
        let r = model::of_village(c, gp, village.id)?;
        let Some(r) = r else {
            return Err(AppError::Validation(missing([false; 5], None, 0)));
        };
        if r.status() != Status::None {
            return Err(AppError::Conflict("hgj-already-reported".into()));
        }
        let docs = model::documents_of(c, &r)?.len();
        missing(r.items(), r.resolution_on, docs).into_result()?;
        let today = today_in_india(now);
        let r = model::set_status(
            c,
            &r,
            Status::Reported,
            today,
            (actor.id(), &actor.user.display_name),
            now,
        )?;
        log.add(
            Action::StatusChange,
            Entity::HarGharJal,
            Some(r.id),
            detail("audit-detail-hgj-reported", &village),
        );
        Ok(r)
    })
}

/// Certify a reported village (the district: its officer, or an admin).
pub fn certify(ctx: &Ctx, actor: &Actor, ip: &str, village_id: i64) -> AppResult<Record> {
    actor.require(Verb::CertifyHarGharJal)?;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let village = model::village_in_scope(c, &actor.scope, village_id)?;
        let gp = village.gp_id.ok_or(AppError::NotFound)?;
        let r = model::of_village(c, gp, village.id)?;
        let r = match r {
            Some(r) if r.status() == Status::Reported => r,
            Some(r) if r.status() == Status::Certified => {
                return Err(AppError::Conflict("hgj-already-certified".into()))
            }
            _ => return Err(AppError::Conflict("hgj-not-reported".into())),
        };
        let r = model::set_status(
            c,
            &r,
            Status::Certified,
            today_in_india(now),
            (actor.id(), &actor.user.display_name),
            now,
        )?;
        log.add(
            Action::StatusChange,
            Entity::HarGharJal,
            Some(r.id),
            detail("audit-detail-hgj-certified", &village),
        );
        Ok(r)
    })
}

/// A village's page: the village, its row (if any) and the pages of its scan.
pub fn village(
    conn: &mut crate::db::DbConn,
    actor: &Actor,
    village_id: i64,
) -> AppResult<(Place, Option<Record>, Vec<Document>)> {
    let village = model::village_in_scope(conn, &actor.scope, village_id)?;
    let gp = village.gp_id.ok_or(AppError::NotFound)?;
    let r = model::of_village(conn, gp, village.id)?;
    let docs = match &r {
        Some(r) => model::documents_of(conn, r)?,
        None => vec![],
    };
    Ok((village, r, docs))
}
