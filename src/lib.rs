//! Paani: operation & maintenance for village water committees.
//!
//! The binary (`src/main.rs`) is a thin command line over this library; tests build the
//! same app through [`app`], the app factory.

pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod billing;
pub mod breakdowns;
pub mod clock;
pub mod committees;
pub mod config;
pub mod context;
pub mod dashboards;
pub mod db;
pub mod demo;
pub mod error;
pub mod har_ghar_jal;
pub mod jobs;
pub mod logging;
pub mod mail;
pub mod maintenance;
pub mod offline;
pub mod places;
pub mod reminders;
pub mod schemes;
pub mod sms;
pub mod supply;
pub mod water_quality;
pub mod web;

pub use db::MultiBackend;
