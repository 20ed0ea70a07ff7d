//! sea-orm entities, one per table (see the migrations crate for the schema).

pub mod api_token;
pub mod audit_log;
pub mod document;
pub mod document_chunk;
pub mod membership;
pub mod plan_action;
pub mod plan_indicator;
pub mod session;
pub mod territory;
pub mod user;
