//! The action plan page: the tree of orientations and actions (with the working groups), a
//! board by status, a Gantt timeline and one action's detail, all read from one live automerge
//! document. Actor and issue names come from the territory's diagnosis, opened read-only.

mod board;
mod detail;
mod forms;
mod timeline;
mod tree;

use crate::{
    accounts::DocumentInfo,
    i18n::*,
    local::LiveDoc,
    model::{
        ItemId,
        action_plan::{ActionPlan, ActionStatus, doc},
        diagnosis::{self, Diagnosis},
        record::Conflict,
    },
    sync::DocumentId,
    ui::{
        document::{DocHeader, PageTab, TabStrip, focus_later},
        live::{AwayBanner, ConflictPanel},
    },
};
use automerge::ScalarValue;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub fn action_status(i18n: I18nContext<Locale>, s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Planned => t_string!(i18n, plan.status_planned),
        ActionStatus::InProgress => t_string!(i18n, plan.status_in_progress),
        ActionStatus::Done => t_string!(i18n, plan.status_done),
        ActionStatus::Blocked => t_string!(i18n, plan.status_blocked),
        ActionStatus::Dropped => t_string!(i18n, plan.status_dropped),
    }
}

/// Which form of the page is open (only one at a time: that is what presence reports).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Open {
    AddOrientation,
    EditOrientation(ItemId),
    /// A new action, in this orientation if given.
    AddAction(Option<ItemId>),
    EditAction(ItemId),
    AddGroup,
    EditGroup(ItemId),
    /// A new indicator of this action.
    AddIndicator(ItemId),
    EditIndicator(ItemId),
}

impl Open {
    /// The presence path of the item being edited.
    fn path(&self) -> Option<String> {
        match self {
            Open::EditOrientation(id) => Some(format!("orientations/{id}")),
            Open::EditAction(id) => Some(format!("actions/{id}")),
            Open::EditGroup(id) => Some(format!("groups/{id}")),
            Open::EditIndicator(id) => Some(format!("indicators/{id}")),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Tab {
    Plan,
    Board,
    Timeline,
    Action,
}

impl PageTab for Tab {
    fn all() -> &'static [Tab] {
        &[Tab::Plan, Tab::Board, Tab::Timeline, Tab::Action]
    }

    fn slug(self) -> &'static str {
        match self {
            Tab::Plan => "plan",
            Tab::Board => "board",
            Tab::Timeline => "timeline",
            Tab::Action => "action",
        }
    }
}

/// What every part of the plan page works with.
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    pub live: LiveDoc,
    /// The plan as of the document's current state; `None` while it opens.
    pub data: Memo<Option<ActionPlan>>,
    /// The territory's diagnosis (names of actors and issues), once open.
    pub diag: RwSignal<Option<Diagnosis>>,
    pub open: RwSignal<Option<Open>>,
    pub tab: RwSignal<Tab>,
    /// The action shown on the action tab.
    pub selected: RwSignal<Option<ItemId>>,
    /// Today as an ISO date (empty on the server).
    pub today: StoredValue<String>,
}

impl Ctx {
    pub fn can_write(&self) -> bool {
        self.live.can_write
    }

    /// The actor's name, or its id while the diagnosis is not open.
    pub fn actor_name(&self, id: &ItemId) -> String {
        self.diag
            .with(|d| {
                d.as_ref()
                    .and_then(|d| d.actors.get(id))
                    .map(|a| a.name.clone())
            })
            .unwrap_or_else(|| id.0.clone())
    }

    pub fn issue_statement(&self, id: &ItemId) -> String {
        self.diag
            .with(|d| {
                d.as_ref()
                    .and_then(|d| d.issues.get(id))
                    .map(|i| i.statement.clone())
            })
            .unwrap_or_else(|| id.0.clone())
    }

    /// The diagnosis's live actors (id, name), sorted by name.
    pub fn actors(&self) -> Vec<(ItemId, String)> {
        let mut all = self
            .diag
            .with(|d| {
                d.as_ref().map(|d| {
                    d.live_actors()
                        .map(|(id, a)| (id.clone(), a.name.clone()))
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default();
        all.sort_by_key(|a| a.1.to_lowercase());
        all
    }

    pub fn issues(&self) -> Vec<(ItemId, String)> {
        self.diag
            .with(|d| {
                d.as_ref().map(|d| {
                    d.live_issues()
                        .map(|(id, i)| (id.clone(), i.statement.clone()))
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    }

    pub fn with_plan<R>(&self, f: impl FnOnce(&ActionPlan) -> R) -> Option<R> {
        self.data.with(|d| d.as_ref().map(f))
    }

    pub fn with_plan_untracked<R>(&self, f: impl FnOnce(&ActionPlan) -> R) -> Option<R> {
        self.data.with_untracked(|d| d.as_ref().map(f))
    }

    /// Shows an action's detail.
    pub fn select(&self, id: ItemId) {
        self.selected.set(Some(id));
        self.tab.set(Tab::Action);
        focus_later("#panel-action h2".into());
    }

    /// A short human name for an item path ("actions/abc" → its title).
    pub fn describe(&self, path: &str) -> String {
        let Some((collection, id)) = path.split_once('/') else {
            return path.to_owned();
        };
        let id = ItemId::from(id);
        let found = self.data.with_untracked(|d| {
            let d = d.as_ref()?;
            Some(match collection {
                "groups" => d.groups.get(&id)?.theme.clone(),
                "orientations" => d.orientations.get(&id)?.title.clone(),
                "actions" => d.actions.get(&id)?.title.clone(),
                "indicators" => d.indicators.get(&id)?.name.clone(),
                "members" => self.actor_untracked(&d.members.get(&id)?.actor),
                "partners" => self.actor_untracked(&d.partners.get(&id)?.actor),
                "links" => {
                    let issue = d.links.get(&id)?.issue.clone();
                    self.diag
                        .with_untracked(|g| {
                            g.as_ref()
                                .and_then(|g| g.issues.get(&issue))
                                .map(|i| i.statement.clone())
                        })
                        .unwrap_or(issue.0)
                }
                "targets" => d.targets.get(&id)?.period.clone(),
                _ => return None,
            })
        });
        found.unwrap_or_else(|| id.0.clone())
    }

    fn actor_untracked(&self, id: &ItemId) -> String {
        self.diag
            .with_untracked(|d| {
                d.as_ref()
                    .and_then(|d| d.actors.get(id))
                    .map(|a| a.name.clone())
            })
            .unwrap_or_else(|| id.0.clone())
    }
}

/// Today's date in the browser ("" on the server, where nothing is late yet).
fn today() -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new_0();
        format!(
            "{:04}-{:02}-{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// An amount in dirhams with thousands separators ("450 000 MAD", "450,000 MAD").
pub(crate) fn money(i18n: I18nContext<Locale>, v: f64) -> String {
    let sep = match i18n.get_locale() {
        Locale::fr => '\u{202f}',
        _ => ',',
    };
    let n = if v.is_finite() {
        v.round().max(0.0) as u64
    } else {
        0
    };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    format!("{out}\u{a0}{}", t_string!(i18n, plan.mad))
}

pub(crate) use crate::ui::document::Editors;

/// "Delete" that asks once more before acting.
#[component]
pub(crate) fn ConfirmDelete(#[prop(into)] on_delete: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    move || {
        if asking.get() {
            view! {
                <span class="confirm-delete" role="group">
                    <span class="question">{t!(i18n, plan.confirm_delete)}</span>
                    <button type="button" class="danger small" on:click=move |_| on_delete.run(())>
                        {t!(i18n, plan.yes_delete)}
                    </button>
                    <button type="button" class="small" on:click=move |_| asking.set(false)>
                        {t!(i18n, plan.cancel)}
                    </button>
                </span>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="danger small" on:click=move |_| asking.set(true)>
                    {t!(i18n, plan.delete)}
                </button>
            }
            .into_any()
        }
    }
}

/// A status badge.
pub(crate) fn status_badge(i18n: I18nContext<Locale>, s: ActionStatus) -> impl IntoView {
    view! { <span class=format!("badge status-badge status-{}", s.as_str()) data-status=s.as_str()>{action_status(i18n, s)}</span> }
}

/// Reads the diagnosis this plan draws on, for names only.
#[component]
fn DiagnosisNames(
    id: DocumentId,
    info: DocumentInfo,
    diag: RwSignal<Option<Diagnosis>>,
) -> impl IntoView {
    let live = LiveDoc::open(id, info);
    Effect::new(move || {
        let read = live.read(diagnosis::doc::read);
        if read.is_some() {
            diag.set(read);
        }
    });
    on_cleanup(move || {
        let _ = diag.try_set(None);
    });
}

fn field_label(i18n: I18nContext<Locale>, field: &str) -> String {
    match field {
        "title" => t_string!(i18n, plan.f_title),
        "theme" => t_string!(i18n, plan.f_theme),
        "coach" => t_string!(i18n, plan.f_coach),
        "orientation" => t_string!(i18n, plan.f_orientation),
        "group" => t_string!(i18n, plan.f_group),
        "lead" => t_string!(i18n, plan.f_lead),
        "start" => t_string!(i18n, plan.f_start),
        "due" => t_string!(i18n, plan.f_due),
        "budget" => t_string!(i18n, plan.f_budget),
        "committed" => t_string!(i18n, plan.f_committed),
        "status" => t_string!(i18n, plan.f_status),
        "progress" => t_string!(i18n, plan.f_progress),
        "weight" => t_string!(i18n, plan.f_weight),
        "risks" => t_string!(i18n, plan.f_risks),
        "assumptions" => t_string!(i18n, plan.f_assumptions),
        "role" => t_string!(i18n, plan.f_role),
        "contribution" => t_string!(i18n, plan.f_contribution),
        "name" => t_string!(i18n, plan.f_name),
        "unit" => t_string!(i18n, plan.f_unit),
        "baseline" => t_string!(i18n, plan.f_baseline),
        "current" => t_string!(i18n, plan.f_current),
        "verification" => t_string!(i18n, plan.f_verification),
        "period" => t_string!(i18n, plan.f_period),
        "value" => t_string!(i18n, plan.f_value),
        _ => return field.to_owned(),
    }
    .to_owned()
}

#[component]
pub fn PlanEditor(info: DocumentInfo) -> impl IntoView {
    let i18n = use_i18n();
    let Some(id) = DocumentId::parse(&info.document.id) else {
        return view! { <p class="error">{t!(i18n, sync.unavailable)}</p> }.into_any();
    };
    let title = info.document.title.clone();
    let territory = info.territory.clone();
    let info_for_diag = StoredValue::new(info.clone());
    let live = LiveDoc::open(id, info);
    provide_context(live);
    let data = Memo::new(move |_| live.read(doc::read));
    let conflicts: Memo<Vec<Conflict>> =
        Memo::new(move |_| live.read(doc::conflicts).unwrap_or_default());
    let ctx = Ctx {
        live,
        data,
        diag: RwSignal::new(None),
        open: RwSignal::new(None),
        tab: RwSignal::new(Tab::Plan),
        selected: RwSignal::new(None),
        today: StoredValue::new(today()),
    };
    provide_context(ctx);
    let editing = Memo::new(move |_| ctx.open.get().and_then(|o| o.path()));
    Effect::new(move |prev: Option<Option<String>>| {
        let current = editing.get();
        if prev.as_ref() != Some(&current) && (prev.is_some() || current.is_some()) {
            live.editing(current.clone());
        }
        current
    });
    on_cleanup(move || live.editing(None));
    // The board and the timeline show no forms: leaving for them closes the open one.
    Effect::new(move || {
        if matches!(ctx.tab.get(), Tab::Board | Tab::Timeline) {
            ctx.open.set(None);
        }
    });
    let diag_id = Memo::new(move |_| {
        data.with(|d| d.as_ref().map(|d| d.diagnosis.clone()))
            .unwrap_or_default()
    });
    let describe = Callback::new(move |path: String| ctx.describe(&path));
    let ready = Memo::new(move |_| data.with(Option::is_some));
    let tab = ctx.tab;
    let tab_label = Callback::new(move |t: Tab| {
        match t {
            Tab::Plan => t_string!(i18n, plan.tab_plan),
            Tab::Board => t_string!(i18n, plan.tab_board),
            Tab::Timeline => t_string!(i18n, plan.tab_timeline),
            Tab::Action => t_string!(i18n, plan.tab_action),
        }
        .to_owned()
    });
    view! {
        {move || {
            let id = diag_id.get();
            DocumentId::parse(&id).map(|id| view! { <DiagnosisNames id=id info=info_for_diag.get_value() diag=ctx.diag /> })
        }}
        <DocHeader
            territory=territory
            fallback_title=title
            title=Signal::derive(move || data.get().map(|d| d.title))
            live=live
            describe=describe
        >
            {move || (data.with(Option::is_some) && diag_id.with(String::is_empty))
                .then(|| view! { <p class="hint">{t!(i18n, plan.no_diagnosis)}</p> })}
        </DocHeader>
        <AwayBanner live=live describe=describe />
        <ConflictPanel
            live=live
            conflicts=conflicts
            describe=describe
            show_value=Callback::new(move |(f, v): (String, ScalarValue)| {
                let s = v.as_str().unwrap_or_default();
                match (f.as_str(), ActionStatus::parse(s)) {
                    ("status", Some(st)) => action_status(i18n, st).to_owned(),
                    _ => match &v {
                        ScalarValue::Str(s) => s.to_string(),
                        ScalarValue::Null => "—".to_owned(),
                        other => other.to_string(),
                    },
                }
            })
            field_label=Callback::new(move |f: String| field_label(i18n, &f))
        />
        <TabStrip tab=tab label=tab_label aria_label=Signal::derive(move || t_string!(i18n, plan.tabs).to_owned()) />
        <div
            class="tab-panel plan-page"
            role="tabpanel"
            id=move || format!("panel-{}", tab.get().slug())
            aria-labelledby=move || format!("tab-{}", tab.get().slug())
        >
            {move || {
                if !ready.get() {
                    return view! { <p class="loading">{t!(i18n, common.loading)}</p> }.into_any();
                }
                match tab.get() {
                    Tab::Plan => view! { <tree::PlanTree /> }.into_any(),
                    Tab::Board => view! { <board::StatusBoard /> }.into_any(),
                    Tab::Timeline => view! { <timeline::Timeline /> }.into_any(),
                    Tab::Action => view! { <detail::ActionDetail /> }.into_any(),
                }
            }}
        </div>
    }
    .into_any()
}
