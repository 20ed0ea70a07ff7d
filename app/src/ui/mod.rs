//! Pages and components. [`App`] is the root: translations, routes, and the layout every page
//! lives in.

mod admin;
mod home;
mod labels;
mod layout;
mod login;
mod not_found;
pub mod session;
#[cfg(feature = "ssr")]
pub mod shell;
mod territories;

use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    ParamSegment, StaticSegment,
    components::{Route, Router, Routes},
};

/// The whole application, as rendered on the server and hydrated in the browser.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    session::provide_session();
    view! {
        <I18nContextProvider>
            <DocumentTitle />
            <HydrationMarker />
            <Router>
                <layout::Layout>
                    <Routes fallback=|| view! { <not_found::NotFound /> }>
                        <Route path=StaticSegment("") view=home::HomePage />
                        <Route path=StaticSegment("login") view=login::LoginPage />
                        <Route path=StaticSegment("territories") view=territories::MyTerritoriesPage />
                        <Route
                            path=(StaticSegment("territories"), ParamSegment("id"))
                            view=territories::TerritoryPage
                        />
                        <Route path=StaticSegment("admin") view=admin::AdminPage />
                    </Routes>
                </layout::Layout>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn DocumentTitle() -> impl IntoView {
    let i18n = use_i18n();
    let title = move || {
        format!(
            "{} — {}",
            t_string!(i18n, app_name),
            t_string!(i18n, tagline)
        )
    };
    view! { <Title text=title /> }
}

/// Marks `<body data-hydrated>` once the wasm has taken over the page, so tests (and styles)
/// can tell a live page from a server-rendered one.
#[component]
fn HydrationMarker() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
