//! Signing in. Works with or without the wasm: the form posts to the server function, which
//! sets the session cookie and redirects.

use crate::{i18n::*, ui::session::use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = move || {
        session
            .login
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| super::labels::error(i18n, &e))
    };
    view! {
        <section class="page narrow">
            <h1>{t!(i18n, login.title)}</h1>
            <Suspense>
                {move || {
                    session
                        .current()
                        .map(|user| {
                            let name = user.display_name.clone();
                            view! {
                                <p class="notice">
                                    {t_string!(i18n, login.already, name = name.clone()).to_string()}
                                    " "
                                    <a href="/territories">{t!(i18n, login.go_territories)}</a>
                                </p>
                            }
                        })
                }}
            </Suspense>
            <p>{t!(i18n, login.intro)}</p>
            <ActionForm action=session.login attr:class="form card" attr:novalidate=false>
                <input type="hidden" name="next" value=next />
                <label>
                    <span>{t!(i18n, login.email)}</span>
                    <input
                        type="email"
                        name="email"
                        autocomplete="username"
                        required
                        dir="ltr"
                        inputmode="email"
                    />
                </label>
                <label>
                    <span>{t!(i18n, login.password)}</span>
                    <input type="password" name="password" autocomplete="current-password" required dir="ltr" />
                </label>
                {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="button" disabled=move || session.login.pending().get()>
                    {t!(i18n, login.submit)}
                </button>
            </ActionForm>
        </section>
    }
}
