//! Translated names of roles, levels and document kinds, and error messages.

use crate::{
    accounts::{AccountError, DocumentKind, Role, TerritoryLevel},
    i18n::*,
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub fn role(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Coach => t_string!(i18n, roles.coach),
        Role::Field => t_string!(i18n, roles.field),
        Role::Manager => t_string!(i18n, roles.manager),
    }
}

pub fn level(i18n: I18nContext<Locale>, level: TerritoryLevel) -> &'static str {
    match level {
        TerritoryLevel::Commune => t_string!(i18n, levels.commune),
        TerritoryLevel::Province => t_string!(i18n, levels.province),
        TerritoryLevel::Region => t_string!(i18n, levels.region),
    }
}

pub fn kind(i18n: I18nContext<Locale>, kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Diagnosis => t_string!(i18n, kinds.diagnosis),
        DocumentKind::ActionPlan => t_string!(i18n, kinds.action_plan),
        DocumentKind::Meeting => t_string!(i18n, kinds.meeting),
    }
}

pub fn error(i18n: I18nContext<Locale>, e: &AccountError) -> String {
    e.message(i18n.get_locale())
}

/// "Saving…" while an action runs, then "Saved" or its translated error; announced politely.
#[component]
pub fn ActionStatus<I, O>(action: ServerAction<I>) -> impl IntoView
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AccountError>
        + Clone
        + Send
        + Sync
        + 'static,
    O: Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <p class="action-status" role="status" aria-live="polite">
            {move || {
                if action.pending().get() {
                    Some(view! { <span class="saving">{t_string!(i18n, common.saving)}</span> }.into_any())
                } else {
                    match action.value().get() {
                        Some(Ok(_)) => Some(view! { <span class="saved">{t_string!(i18n, common.saved)}</span> }.into_any()),
                        Some(Err(e)) => Some(view! { <span class="error" role="alert">{error(i18n, &e)}</span> }.into_any()),
                        None => None,
                    }
                }
            }}
        </p>
    }
}

/// Empties a form once its action succeeds, so the next entry starts clean.
pub fn reset_on_success<I, O>(action: ServerAction<I>, form: NodeRef<leptos::html::Form>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AccountError>
        + Clone
        + Send
        + Sync
        + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move || {
        if matches!(action.value().get(), Some(Ok(_)))
            && let Some(form) = form.get()
        {
            form.reset();
        }
    });
}

pub fn category(
    i18n: I18nContext<Locale>,
    c: crate::model::diagnosis::ActorCategory,
) -> &'static str {
    use crate::model::diagnosis::ActorCategory as C;
    match c {
        C::CivilSociety => t_string!(i18n, categories.civil_society),
        C::ElectedOfficial => t_string!(i18n, categories.elected_official),
        C::Administration => t_string!(i18n, categories.administration),
        C::EconomicPlayer => t_string!(i18n, categories.economic_player),
        C::Other => t_string!(i18n, categories.other),
    }
}

pub fn actor_level(i18n: I18nContext<Locale>, l: crate::model::diagnosis::Level) -> &'static str {
    use crate::model::diagnosis::Level as L;
    match l {
        L::Commune => t_string!(i18n, actor_levels.commune),
        L::Province => t_string!(i18n, actor_levels.province),
        L::Region => t_string!(i18n, actor_levels.region),
        L::National => t_string!(i18n, actor_levels.national),
    }
}

pub fn tie_kind(i18n: I18nContext<Locale>, k: crate::model::diagnosis::TieKind) -> &'static str {
    use crate::model::diagnosis::TieKind as K;
    match k {
        K::Alliance => t_string!(i18n, tie_kinds.alliance),
        K::Conflict => t_string!(i18n, tie_kinds.conflict),
        K::Influence => t_string!(i18n, tie_kinds.influence),
        K::Dependency => t_string!(i18n, tie_kinds.dependency),
        K::Information => t_string!(i18n, tie_kinds.information),
        K::Funding => t_string!(i18n, tie_kinds.funding),
    }
}
