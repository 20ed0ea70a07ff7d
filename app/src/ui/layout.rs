//! The shell every page lives in: skip link, header with navigation and language switcher,
//! main content, footer. Layout uses CSS logical properties so Arabic mirrors it.

use crate::{i18n::*, ui::session::use_session};
use leptos::prelude::*;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (menu_open, set_menu_open) = signal(false);
    let close_menu = move |_| set_menu_open.set(false);
    view! {
        <a class="skip-link" href="#main">
            {t!(i18n, skip_to_content)}
        </a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">{t!(i18n, app_name)}</span>
                <span class="brand-tagline">{t!(i18n, tagline)}</span>
            </a>
            <button
                type="button"
                class="menu-toggle"
                aria-controls="site-nav"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| set_menu_open.update(|open| *open = !*open)
            >
                <span class="menu-icon" aria-hidden="true"></span>
                {t!(i18n, menu)}
            </button>
            <div id="site-nav" class="site-nav" class:open=menu_open>
                <nav aria-label=move || t_string!(i18n, nav.main)>
                    <ul>
                        <li>
                            <a href="/" on:click=close_menu>
                                {t!(i18n, nav.home)}
                            </a>
                        </li>
                        <li>
                            <a href="/#cycle" on:click=close_menu>
                                {t!(i18n, nav.cycle)}
                            </a>
                        </li>
                        <Suspense>
                            {move || {
                                let user = session.current();
                                let admin = user.as_ref().is_some_and(|u| u.is_admin);
                                view! {
                                    {user.is_some().then(|| view! {
                                        <li>
                                            <a href="/territories" on:click=close_menu>{t!(i18n, nav.territories)}</a>
                                        </li>
                                        <li>
                                            <a href="/portfolio" on:click=close_menu>{t!(i18n, nav.portfolio)}</a>
                                        </li>
                                    })}
                                    {admin.then(|| view! {
                                        <li>
                                            <a href="/admin" on:click=close_menu>{t!(i18n, nav.admin)}</a>
                                        </li>
                                    })}
                                }
                            }}
                        </Suspense>
                    </ul>
                </nav>
                <Suspense>
                    <UserMenu />
                </Suspense>
                <LanguageSwitcher />
            </div>
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, footer)}</p>
        </footer>
    }
}

/// "Sign in", or the signed-in user's name and a sign-out button.
#[component]
fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        match session.current() {
        Some(user) => view! {
            <div class="user-menu">
                <span class="user-name" dir="auto">
                    {t_string!(i18n, nav.signed_in_as, name = user.display_name.clone()).to_string()}
                </span>
                <ActionForm action=session.logout attr:class="row-form">
                    <button type="submit">{t!(i18n, nav.logout)}</button>
                </ActionForm>
            </div>
        }
        .into_any(),
        None => view! {
            <a class="button" href="/login">
                {t!(i18n, nav.login)}
            </a>
        }
        .into_any(),
    }
    }
}

/// Three buttons, each named in its own language. The choice is kept in a cookie, so the next
/// server-rendered page already comes in that language.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let choice = move |locale: Locale, code: &'static str, name: &'static str| {
        view! {
            <button
                type="button"
                lang=code
                aria-pressed=move || (i18n.get_locale() == locale).to_string()
                on:click=move |_| i18n.set_locale(locale)
            >
                {name}
            </button>
        }
    };
    view! {
        <div class="lang-switcher" role="group" aria-label=move || t_string!(i18n, language)>
            {choice(Locale::fr, "fr", "Français")}
            {choice(Locale::ar, "ar", "العربية")}
            {choice(Locale::en, "en", "English")}
        </div>
    }
}
