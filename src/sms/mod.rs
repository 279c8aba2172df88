//! SMS: the outbox, India's DLT template rules and the providers.
//!
//! (Being built for issue 27; see `providers` for the transport contract.)

pub mod providers;
