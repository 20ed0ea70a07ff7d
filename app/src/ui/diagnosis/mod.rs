//! The shared diagnosis page: the sociogram, the SWOT board, the problem tree, positions and
//! divergence, and the network analysis, all read from one live automerge document.

mod analysis;
mod board;
mod positions;
mod sociogram;
mod tree;

use crate::{
    accounts::{AccountError, DocumentInfo, DocumentKind, api::document_page},
    i18n::*,
    local::LiveDoc,
    model::{
        ItemId,
        diagnosis::{Diagnosis, doc},
        record::Conflict,
    },
    sync::DocumentId,
    ui::{
        document::{DocHeader, PageTab, TabStrip},
        labels,
        live::{AwayBanner, ConflictPanel},
        territories::SignInFirst,
    },
};
use automerge::ScalarValue;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// What every part of the diagnosis page works with.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub live: LiveDoc,
    /// The diagnosis as of the document's current state; `None` while it opens.
    pub data: Memo<Option<Diagnosis>>,
    /// The viewer's name, as recorded on what they add.
    pub me: StoredValue<String>,
}

impl Ctx {
    /// A short human name for an item path ("actors/abc" → the actor's name).
    pub fn describe(&self, path: &str) -> String {
        let Some((collection, id)) = path.split_once('/') else {
            return path.to_owned();
        };
        let id = ItemId::from(id);
        self.data
            .with_untracked(|d| {
                let d = d.as_ref()?;
                Some(match collection {
                    "actors" => d.actors.get(&id)?.name.clone(),
                    "ties" => {
                        let t = d.ties.get(&id)?;
                        let name = |a: &ItemId| {
                            d.actors.get(a).map(|a| a.name.clone()).unwrap_or_default()
                        };
                        format!("{} — {}", name(&t.from), name(&t.to))
                    }
                    "issues" => d.issues.get(&id)?.statement.clone(),
                    "swot" => d.swot.get(&id)?.text.clone(),
                    "resources" => d.resources.get(&id)?.name.clone(),
                    "positions" => {
                        let p = d.positions.get(&id)?;
                        format!(
                            "{} / {}",
                            d.actors
                                .get(&p.actor)
                                .map(|a| a.name.clone())
                                .unwrap_or_default(),
                            d.issues
                                .get(&p.issue)
                                .map(|i| i.statement.clone())
                                .unwrap_or_default()
                        )
                    }
                    _ => return None,
                })
            })
            .unwrap_or_else(|| id.0.clone())
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tab {
    Sociogram,
    Swot,
    Tree,
    Positions,
    Analysis,
}

impl PageTab for Tab {
    fn all() -> &'static [Tab] {
        &[
            Tab::Sociogram,
            Tab::Swot,
            Tab::Tree,
            Tab::Positions,
            Tab::Analysis,
        ]
    }

    fn slug(self) -> &'static str {
        match self {
            Tab::Sociogram => "sociogram",
            Tab::Swot => "swot",
            Tab::Tree => "tree",
            Tab::Positions => "positions",
            Tab::Analysis => "analysis",
        }
    }
}

/// `/documents/:id`.
#[component]
pub fn DocumentPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let info = Resource::new_blocking(id, |id| async move {
        match document_page(id.clone()).await {
            // No network (a navigation inside the page, which the service worker cannot
            // answer): what this device remembers of the document, if it was opened before.
            Err(AccountError::Transport(e)) => {
                remembered(id).await.ok_or(AccountError::Transport(e))
            }
            other => other,
        }
    });
    view! {
        <section class="page document-page">
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                {move || {
                    info.get()
                        .map(|result| match result {
                            Err(AccountError::NotSignedIn) => {
                                view! { <SignInFirst next=format!("/documents/{}", id()) /> }.into_any()
                            }
                            Err(e) => {
                                #[cfg(feature = "ssr")]
                                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                    response.set_status(
                                        http::StatusCode::from_u16(e.status())
                                            .unwrap_or(http::StatusCode::NOT_FOUND),
                                    );
                                }
                                view! {
                                    <h1>{t!(i18n, not_found.title)}</h1>
                                    <p class="error" role="alert">{labels::error(i18n, &e)}</p>
                                }
                                    .into_any()
                            }
                            Ok(info) if info.document.kind == DocumentKind::Diagnosis => {
                                view! { <DiagnosisEditor info=info /> }.into_any()
                            }
                            Ok(info) if info.document.kind == DocumentKind::ActionPlan => {
                                view! { <crate::ui::plan::PlanEditor info=info /> }.into_any()
                            }
                            Ok(info) => {
                                view! {
                                    <h1 dir="auto">{info.document.title.clone()}</h1>
                                    <p class="notice">{t!(i18n, document.not_diagnosis)}</p>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

/// What this device remembers of the document (IndexedDB futures live on the page's only
/// thread; resources want `Send` futures).
#[cfg(feature = "hydrate")]
fn remembered(id: String) -> impl std::future::Future<Output = Option<DocumentInfo>> + Send {
    send_wrapper::SendWrapper::new(async move { crate::local::remembered_info(&id).await })
}

#[cfg(not(feature = "hydrate"))]
async fn remembered(_id: String) -> Option<DocumentInfo> {
    None
}

fn field_label(i18n: leptos_i18n::I18nContext<Locale>, field: &str) -> String {
    match field {
        "name" => t_string!(i18n, diagnosis.name),
        "category" => t_string!(i18n, diagnosis.category),
        "organisation" => t_string!(i18n, diagnosis.organisation),
        "level" => t_string!(i18n, diagnosis.level),
        "influence" => t_string!(i18n, diagnosis.influence),
        "interest" => t_string!(i18n, diagnosis.interest),
        "notes" => t_string!(i18n, diagnosis.notes),
        "location" => t_string!(i18n, diagnosis.location),
        "kind" => t_string!(i18n, diagnosis.tie_kind),
        "strength" => t_string!(i18n, diagnosis.strength),
        "since" => t_string!(i18n, diagnosis.since),
        _ => return field.to_owned(),
    }
    .to_owned()
}

fn show_value(i18n: leptos_i18n::I18nContext<Locale>, field: &str, value: &ScalarValue) -> String {
    use crate::model::diagnosis::{ActorCategory, Level, TieKind};
    let s = value.as_str().unwrap_or_default();
    match field {
        "category" => ActorCategory::parse(s).map(|c| labels::category(i18n, c).to_owned()),
        "level" => Level::parse(s).map(|l| labels::actor_level(i18n, l).to_owned()),
        "kind" => TieKind::parse(s).map(|k| labels::tie_kind(i18n, k).to_owned()),
        _ => None,
    }
    .unwrap_or_else(|| match value {
        ScalarValue::Str(s) => s.to_string(),
        ScalarValue::Null => "—".to_owned(),
        other => other.to_string(),
    })
}

#[component]
fn DiagnosisEditor(info: DocumentInfo) -> impl IntoView {
    let i18n = use_i18n();
    let Some(id) = DocumentId::parse(&info.document.id) else {
        return view! { <p class="error">{t!(i18n, sync.unavailable)}</p> }.into_any();
    };
    let title = info.document.title.clone();
    let me = StoredValue::new(info.me.clone());
    let territory = info.territory.clone();
    let live = LiveDoc::open(id, info);
    provide_context(live);
    let data = Memo::new(move |_| live.read(doc::read));
    let conflicts: Memo<Vec<Conflict>> =
        Memo::new(move |_| live.read(doc::conflicts).unwrap_or_default());
    let ctx = Ctx { live, data, me };
    provide_context(ctx);
    let describe = Callback::new(move |path: String| ctx.describe(&path));
    let tab = RwSignal::new(Tab::Sociogram);
    let tab_label = Callback::new(move |t: Tab| {
        match t {
            Tab::Sociogram => t_string!(i18n, diagnosis.tab_sociogram),
            Tab::Swot => t_string!(i18n, diagnosis.tab_swot),
            Tab::Tree => t_string!(i18n, diagnosis.tab_tree),
            Tab::Positions => t_string!(i18n, diagnosis.tab_positions),
            Tab::Analysis => t_string!(i18n, diagnosis.tab_analysis),
        }
        .to_owned()
    });
    view! {
        <DocHeader
            territory=territory
            fallback_title=title
            title=Signal::derive(move || data.get().map(|d| d.title))
            live=live
            describe=describe
        />
        <AwayBanner live=live describe=describe />
        <ConflictPanel
            live=live
            conflicts=conflicts
            describe=describe
            show_value=Callback::new(move |(f, v): (String, ScalarValue)| show_value(i18n, &f, &v))
            field_label=Callback::new(move |f: String| field_label(i18n, &f))
        />
        <TabStrip tab=tab label=tab_label aria_label=Signal::derive(move || t_string!(i18n, diagnosis.tabs).to_owned()) />
        <div
            class="tab-panel"
            role="tabpanel"
            id=move || format!("panel-{}", tab.get().slug())
            aria-labelledby=move || format!("tab-{}", tab.get().slug())
        >
            {move || match tab.get() {
                Tab::Sociogram => view! { <sociogram::Sociogram /> }.into_any(),
                Tab::Swot => view! { <board::SwotBoard /> }.into_any(),
                Tab::Tree => view! { <tree::ProblemTree /> }.into_any(),
                Tab::Positions => view! { <positions::Positions /> }.into_any(),
                Tab::Analysis => view! { <analysis::NetworkAnalysis /> }.into_any(),
            }}
        </div>
    }
        .into_any()
}
