//! What every document page shares, whatever the document's kind: the header (way back to the
//! territory, title, sync status, who else is here, the read-only note), the tab strip with its
//! keyboard handling, and moving focus once the page has re-rendered.

use crate::{
    accounts::TerritoryRow,
    i18n::*,
    local::LiveDoc,
    ui::live::{PresenceBar, SyncBadge},
};
use leptos::prelude::*;

/// Moves keyboard focus to the element matching `selector` once the page has re-rendered.
pub(crate) fn focus_later(selector: String) {
    focus_first_of(vec![selector]);
}

/// Once the DOM has caught up, focuses the first element matched by the first selector that
/// matches anything.
pub(crate) fn focus_first_of(selectors: Vec<String>) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = selectors.iter().find_map(|s| {
            document()
                .query_selector(s)
                .ok()
                .flatten()
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        }) {
            let _ = el.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = selectors;
}

/// The header of a document page. `children` adds notes under the status line.
#[component]
pub(crate) fn DocHeader(
    territory: TerritoryRow,
    /// The title the server knows, shown until the document has one of its own.
    fallback_title: String,
    #[prop(into)] title: Signal<Option<String>>,
    live: LiveDoc,
    describe: Callback<String, String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="doc-header">
            <p class="crumbs">
                <a href=format!("/territories/{}", territory.id)>
                    "← " {t!(i18n, document.back)} " · " <span dir="auto">{territory.name.clone()}</span>
                </a>
            </p>
            <h1 dir="auto">
                {move || title.get().filter(|t| !t.is_empty()).unwrap_or_else(|| fallback_title.clone())}
            </h1>
            <div class="doc-status">
                <SyncBadge live=live />
                <PresenceBar live=live describe=describe />
            </div>
            {(!live.can_write).then(|| view! { <p class="notice read-only-note">{t!(i18n, sync.read_only_note)}</p> })}
            {children.map(|c| c())}
        </header>
    }
}

/// A page's tabs, in order, each with the slug its ids are made of (`tab-<slug>`,
/// `panel-<slug>`).
pub(crate) trait PageTab: Copy + PartialEq + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn slug(self) -> &'static str;
}

/// The tab strip (WAI-ARIA tabs): arrow keys move between tabs (mirrored in Arabic), Home and
/// End go to the first and last.
#[component]
pub(crate) fn TabStrip<T: PageTab>(
    tab: RwSignal<T>,
    label: Callback<T, String>,
    #[prop(into)] aria_label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let on_key = move |e: leptos::ev::KeyboardEvent| {
        let all = T::all();
        let i = all
            .iter()
            .position(|t| *t == tab.get_untracked())
            .unwrap_or(0);
        let rtl = i18n.get_locale_untracked() == Locale::ar;
        let next = match (e.key().as_str(), rtl) {
            ("ArrowRight", false) | ("ArrowLeft", true) => (i + 1) % all.len(),
            ("ArrowLeft", false) | ("ArrowRight", true) => (i + all.len() - 1) % all.len(),
            ("Home", _) => 0,
            ("End", _) => all.len() - 1,
            _ => return,
        };
        e.prevent_default();
        tab.set(all[next]);
        focus_later(format!("#tab-{}", all[next].slug()));
    };
    view! {
        <div class="tabs" role="tablist" aria-label=aria_label on:keydown=on_key>
            {T::all()
                .iter()
                .copied()
                .map(|t| {
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("tab-{}", t.slug())
                            aria-controls=format!("panel-{}", t.slug())
                            aria-selected=move || (tab.get() == t).to_string()
                            tabindex=move || if tab.get() == t { "0" } else { "-1" }
                            on:click=move |_| tab.set(t)
                        >
                            {move || label.run(t)}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Coloured initials of the other people editing the item at `path` (`actors/<id>`), from the
/// page's [`LiveDoc`] (provided as context by the document's editor).
#[component]
pub(crate) fn Editors(#[prop(into)] path: String) -> impl IntoView {
    let live = expect_context::<LiveDoc>();
    let i18n = use_i18n();
    move || {
        let people = live.editors_of(&path);
        (!people.is_empty()).then(|| {
            let names = people.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ");
            let label = t_string!(i18n, document.being_edited, names = names).to_string();
            view! {
                <span class="item-editors" role="img" title=label.clone() aria-label=label>
                    {people
                        .into_iter()
                        .map(|p| {
                            view! {
                                <span class="mini-avatar" style=format!("--hue: {}", p.hue()) aria-hidden="true">
                                    {p.initials()}
                                </span>
                            }
                        })
                        .collect_view()}
                </span>
            }
        })
    }
}
