//! Pages and components. [`App`] is the root: translations, routes, and the layout every page
//! lives in.

mod admin;
mod diagnosis;
mod document;
mod home;
mod labels;
mod layout;
pub mod live;
mod login;
mod not_found;
mod plan;
mod portfolio;
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
                <KeepForOffline />
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
                        <Route path=StaticSegment("portfolio") view=portfolio::PortfolioPage />
                        <Route
                            path=(StaticSegment("documents"), ParamSegment("id"))
                            view=diagnosis::DocumentPage
                        />
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

/// After every navigation, asks the service worker to keep a copy of the page, so a reload
/// with no network opens it (client-side navigations never reach the worker by themselves).
#[component]
fn KeepForOffline() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        Effect::new(move |_| {
            let path = format!("{}{}", location.pathname.get(), location.search.get());
            if path.starts_with("/login") {
                return;
            }
            let Some(container) = web_sys::window().map(|w| w.navigator().service_worker()) else {
                return;
            };
            let promise = container.ready();
            leptos::task::spawn_local(async move {
                let Ok(ready) = promise.map(wasm_bindgen_futures::JsFuture::from) else {
                    return;
                };
                if let Ok(registration) = ready.await {
                    use wasm_bindgen::JsCast;
                    let registration: web_sys::ServiceWorkerRegistration =
                        registration.unchecked_into();
                    if let Some(worker) = registration.active() {
                        let message = js_sys::Object::new();
                        let _ = js_sys::Reflect::set(&message, &"keep".into(), &path.into());
                        let _ = worker.post_message(&message);
                    }
                }
            });
        });
    }
}
