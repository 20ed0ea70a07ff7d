//! The translated page for any address Terrain does not know; answered with status 404.

use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let i18n = use_i18n();
    view! {
        <section class="page not-found">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.text)}</p>
            <p>
                <a class="button" href="/">
                    {t!(i18n, not_found.back)}
                </a>
            </p>
        </section>
    }
}
