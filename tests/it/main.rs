//! Integration tests: the real server, a real database (SQLite file, or PostgreSQL when
//! PAANI_TEST_POSTGRES_URL is set), a real HTTP client.

// A test may say what it is about on stdout (shown when it fails).
#![allow(clippy::print_stdout)]

mod api;
mod audit_log;
mod auth;
mod authz;
mod backup;
mod billing;
mod breakdowns;
mod committees;
mod complaints;
mod config;
mod conflicts;
mod dashboards;
mod durability;
mod exports;
mod factories;
mod forms;
mod har_ghar_jal;
mod hardening;
mod helpers;
mod households;
mod i18n;
mod idempotency;
mod maintenance;
mod meetings;
mod migrations;
mod observe;
mod offline;
mod operations;
mod otp_login;
mod payments;
mod photos;
mod places;
mod proxies;
mod receipt_books;
mod repair_costs;
mod review;
mod scale;
mod scheduler;
mod schema;
mod scheme_health;
mod schemes;
mod sessions;
mod share;
mod sms;
mod sms_billing;
mod sms_complaints;
mod sms_people;
mod sms_providers;
mod supply;
mod supply_dash;
mod supply_devices;
mod supply_reminders;
mod sync;
mod sync_field;
mod sync_office;
mod tail_end;
mod throttle;
mod water_figures;
mod water_incidents;
mod water_quality;
mod water_schedules;
mod web;
