//! The action plan page (being written).

use crate::accounts::DocumentInfo;
use leptos::prelude::*;

#[component]
pub fn PlanEditor(info: DocumentInfo) -> impl IntoView {
    let _ = info;
}
