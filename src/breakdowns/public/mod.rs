//! Complaints from villagers without an account: a page per scheme (`/c/<scheme code>`,
//! printed as a QR code on the scheme card), a status page (`/c/status`, by complaint number
//! and phone), and the same two as JSON for gateways. Throttled per address and per phone;
//! free text is stored as plain text.
//!
//! Here: the input shapes and the page's address; rows and queries (the scheme behind a code,
//! attempts, a complaint's status) in [`model`], filing and looking up (throttled) in
//! [`service`], the pages in [`pages`], the JSON endpoints in [`api`].

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

pub use model::{scheme_for_code, ComplaintStatus, ComplaintStep};

use serde::{Deserialize, Serialize};

/// A complaint as a villager types it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ComplaintInput {
    pub name: String,
    /// An Indian mobile number (10 digits starting 6–9, with or without +91).
    pub phone: String,
    /// The id of one of the scheme's villages (may be empty when the scheme lists none).
    pub village_id: String,
    /// A category code (see `breakdowns.categories`).
    pub category: String,
    /// stopped, partial or none; empty counts as partial.
    pub supply: String,
    pub description: String,
    /// `en` or `hi`: the language of the complaint's SMS (its number, each change of status);
    /// empty: the language of the GP's households (`sms.household_lang`). The page sends the
    /// language it is shown in.
    pub lang: String,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// The complaint number, e.g. 23010101-B7.
    #[serde(default)]
    pub number: Option<String>,
    /// The phone the complaint was filed with.
    #[serde(default)]
    pub phone: Option<String>,
}

/// The address of a scheme's public complaint page.
pub fn complaint_url(config: &crate::config::Config, code: &str) -> String {
    format!("{}/c/{}", config.public_url(), code)
}
