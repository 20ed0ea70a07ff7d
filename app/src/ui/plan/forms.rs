//! The forms of the plan page: orientations, actions, working groups and indicators. One is open
//! at a time (`Ctx::open`); its draft lives in the form, which is rendered only when the open form
//! changes, so others' edits arriving meanwhile never wipe what is being typed.

use super::{Ctx, Open, action_status, focus_later};
use crate::{
    i18n::*,
    model::{
        ItemId,
        action_plan::{Action, ActionStatus, Indicator, Orientation, WorkingGroup},
        record,
    },
};
use leptos::prelude::*;

fn some_id(s: String) -> Option<ItemId> {
    (!s.is_empty()).then_some(ItemId(s))
}

fn num(s: &str) -> Option<f64> {
    s.trim()
        .replace([' ', '\u{202f}', '\u{a0}'], "")
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn show_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

/// Closes the open form and gives focus back to the button that opened it.
pub(crate) fn close(ctx: Ctx) {
    let back = match ctx.open.get_untracked() {
        Some(Open::AddOrientation) => "[data-add-orientation]".to_owned(),
        Some(Open::EditOrientation(id)) => format!("[data-edit-orientation=\"{id}\"]"),
        Some(Open::AddAction(Some(o))) => format!("[data-add-action=\"{o}\"]"),
        Some(Open::AddAction(None)) => "[data-add-action=\"\"]".to_owned(),
        Some(Open::EditAction(id)) => format!("[data-edit-action=\"{id}\"]"),
        Some(Open::AddGroup) => "[data-add-group]".to_owned(),
        Some(Open::EditGroup(id)) => format!("[data-edit-group=\"{id}\"]"),
        Some(Open::AddIndicator(_)) => "[data-add-indicator]".to_owned(),
        Some(Open::EditIndicator(id)) => format!("[data-edit-indicator=\"{id}\"]"),
        None => return,
    };
    ctx.open.set(None);
    focus_later(back);
}

/// The open form, if any (rendered at the top of the tab that shows it).
#[component]
pub(crate) fn FormHost() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        ctx.open.get().map(|o| match o {
            Open::AddOrientation => view! { <OrientationForm id=None /> }.into_any(),
            Open::EditOrientation(id) => view! { <OrientationForm id=Some(id) /> }.into_any(),
            Open::AddAction(o) => view! { <ActionForm id=None orientation=o /> }.into_any(),
            Open::EditAction(id) => {
                view! { <ActionForm id=Some(id) orientation=None /> }.into_any()
            }
            Open::AddGroup => view! { <GroupForm id=None /> }.into_any(),
            Open::EditGroup(id) => view! { <GroupForm id=Some(id) /> }.into_any(),
            Open::AddIndicator(a) => view! { <IndicatorForm id=None action=Some(a) /> }.into_any(),
            Open::EditIndicator(id) => {
                view! { <IndicatorForm id=Some(id) action=None /> }.into_any()
            }
        })
    }
}

fn on_escape(ctx: Ctx) -> impl Fn(leptos::ev::KeyboardEvent) + Copy {
    move |e: leptos::ev::KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            close(ctx);
        }
    }
}

#[component]
fn FormButtons() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    view! {
        <div class="form-actions">
            <button type="submit" class="button">{t!(i18n, plan.save)}</button>
            <button type="button" class="button secondary" on:click=move |_| close(ctx)>{t!(i18n, plan.cancel)}</button>
        </div>
    }
}

#[component]
fn OrientationForm(id: Option<ItemId>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let current = id
        .as_ref()
        .and_then(|id| {
            ctx.with_plan_untracked(|p| p.orientations.get(id).cloned())
                .flatten()
        })
        .unwrap_or_default();
    let title = RwSignal::new(current.title.clone());
    let group = RwSignal::new(current.group.clone().map(|g| g.0).unwrap_or_default());
    let groups = ctx
        .with_plan_untracked(|p| {
            p.groups
                .iter()
                .filter(|(_, g)| !g.deleted)
                .map(|(id, g)| (id.0.clone(), g.theme.clone()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let editing = id.is_some();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = title.get_untracked().trim().to_owned();
        if t.is_empty() {
            return;
        }
        let id = id.clone().unwrap_or_else(ItemId::random);
        let item = Orientation {
            title: t,
            group: some_id(group.get_untracked()),
            deleted: current.deleted,
        };
        ctx.live
            .edit(move |doc| record::put(doc, &id, &item).map(|_| ()));
        close(ctx);
    };
    focus_later("[data-orientation-form] [name=title]".into());
    view! {
        <form class="form card plan-form" data-orientation-form="" on:submit=save on:keydown=on_escape(ctx)>
            <h3>{move || if editing { t_string!(i18n, plan.edit_orientation) } else { t_string!(i18n, plan.add_orientation) }}</h3>
            <label>
                {t!(i18n, plan.f_title)}
                <input name="title" dir="auto" required bind:value=title />
            </label>
            <label>
                {t!(i18n, plan.f_group)}
                <select name="group" prop:value=move || group.get() on:change=move |e| group.set(event_target_value(&e))>
                    <option value="">{t!(i18n, plan.none)}</option>
                    {groups.into_iter().map(|(v, l)| view! { <option value=v.clone() selected=group.get_untracked() == v>{l}</option> }).collect_view()}
                </select>
            </label>
            <FormButtons />
        </form>
    }
}

#[component]
fn GroupForm(id: Option<ItemId>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let current = id
        .as_ref()
        .and_then(|id| {
            ctx.with_plan_untracked(|p| p.groups.get(id).cloned())
                .flatten()
        })
        .unwrap_or_default();
    let theme = RwSignal::new(current.theme.clone());
    let coach = RwSignal::new(current.coach.clone());
    let editing = id.is_some();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = theme.get_untracked().trim().to_owned();
        if t.is_empty() {
            return;
        }
        let id = id.clone().unwrap_or_else(ItemId::random);
        let item = WorkingGroup {
            theme: t,
            coach: coach.get_untracked().trim().to_owned(),
            deleted: current.deleted,
        };
        ctx.live
            .edit(move |doc| record::put(doc, &id, &item).map(|_| ()));
        close(ctx);
    };
    focus_later("[data-group-form] [name=theme]".into());
    view! {
        <form class="form card plan-form" data-group-form="" on:submit=save on:keydown=on_escape(ctx)>
            <h3>{move || if editing { t_string!(i18n, plan.edit_group) } else { t_string!(i18n, plan.add_group) }}</h3>
            <label>
                {t!(i18n, plan.f_theme)}
                <input name="theme" dir="auto" required bind:value=theme />
            </label>
            <label>
                {t!(i18n, plan.f_coach)}
                <input name="coach" dir="auto" bind:value=coach />
            </label>
            <FormButtons />
        </form>
    }
}

#[component]
fn ActionForm(id: Option<ItemId>, orientation: Option<ItemId>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let current = id
        .as_ref()
        .and_then(|id| {
            ctx.with_plan_untracked(|p| p.actions.get(id).cloned())
                .flatten()
        })
        .unwrap_or_else(|| Action {
            orientation: orientation.clone(),
            ..Action::default()
        });
    let title = RwSignal::new(current.title.clone());
    let orient = RwSignal::new(current.orientation.clone().map(|o| o.0).unwrap_or_default());
    let lead = RwSignal::new(current.lead.clone().map(|o| o.0).unwrap_or_default());
    let start = RwSignal::new(current.start.clone());
    let due = RwSignal::new(current.due.clone());
    let budget = RwSignal::new(show_num(current.budget));
    let committed = RwSignal::new(show_num(current.committed));
    let status = RwSignal::new(current.status.as_str().to_owned());
    let progress = RwSignal::new(current.progress.to_string());
    let weight = RwSignal::new(show_num(current.weight));
    let risks = RwSignal::new(current.risks.clone());
    let assumptions = RwSignal::new(current.assumptions.clone());
    let error = RwSignal::new(false);
    let orientations = ctx
        .with_plan_untracked(|p| {
            p.live_orientations()
                .map(|(id, o)| (id.0.clone(), o.title.clone()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let mut actors: Vec<(String, String)> =
        ctx.actors().into_iter().map(|(id, n)| (id.0, n)).collect();
    // A lead no longer in the diagnosis stays selectable (shown by its id).
    let lead_now = lead.get_untracked();
    if !lead_now.is_empty() && !actors.iter().any(|(id, _)| *id == lead_now) {
        actors.push((lead_now.clone(), lead_now));
    }
    let editing = id.is_some();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = title.get_untracked().trim().to_owned();
        let (s, d) = (start.get_untracked(), due.get_untracked());
        if t.is_empty() || (!s.is_empty() && !d.is_empty() && d < s) {
            error.set(true);
            return;
        }
        let id = id.clone().unwrap_or_else(ItemId::random);
        let item = Action {
            orientation: some_id(orient.get_untracked()),
            title: t,
            lead: some_id(lead.get_untracked()),
            start: s,
            due: d,
            budget: num(&budget.get_untracked()).unwrap_or(0.0).max(0.0),
            committed: num(&committed.get_untracked()).unwrap_or(0.0).max(0.0),
            status: ActionStatus::parse(&status.get_untracked()).unwrap_or(ActionStatus::Planned),
            progress: num(&progress.get_untracked())
                .unwrap_or(0.0)
                .clamp(0.0, 100.0)
                .round() as u8,
            weight: num(&weight.get_untracked()).unwrap_or(1.0).max(0.0),
            risks: risks.get_untracked().trim().to_owned(),
            assumptions: assumptions.get_untracked().trim().to_owned(),
            deleted: current.deleted,
        };
        ctx.live
            .edit(move |doc| record::put(doc, &id, &item).map(|_| ()));
        close(ctx);
    };
    focus_later("[data-action-form] [name=title]".into());
    view! {
        <form class="form card plan-form" data-action-form="" on:submit=save on:keydown=on_escape(ctx)>
            <h3>{move || if editing { t_string!(i18n, plan.edit_action) } else { t_string!(i18n, plan.add_action) }}</h3>
            {move || error.get().then(|| view! { <p class="error" role="alert">{t!(i18n, plan.action_invalid)}</p> })}
            <label>
                {t!(i18n, plan.f_title)}
                <input name="title" dir="auto" required bind:value=title />
            </label>
            <div class="plan-form-grid">
                <label>
                    {t!(i18n, plan.f_orientation)}
                    <select name="orientation" on:change=move |e| orient.set(event_target_value(&e))>
                        <option value="">{t!(i18n, plan.none)}</option>
                        {orientations.into_iter().map(|(v, l)| view! { <option value=v.clone() selected=orient.get_untracked() == v>{l}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    {t!(i18n, plan.f_lead)}
                    <select name="lead" on:change=move |e| lead.set(event_target_value(&e))>
                        <option value="">{t!(i18n, plan.none)}</option>
                        {actors.into_iter().map(|(v, l)| view! { <option value=v.clone() selected=lead.get_untracked() == v>{l}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    {t!(i18n, plan.f_start)}
                    <input name="start" type="date" bind:value=start />
                </label>
                <label>
                    {t!(i18n, plan.f_due)}
                    <input name="due" type="date" bind:value=due />
                </label>
                <label>
                    {t!(i18n, plan.f_budget)} " (" {t!(i18n, plan.mad)} ")"
                    <input name="budget" type="number" min="0" step="any" inputmode="decimal" bind:value=budget />
                </label>
                <label>
                    {t!(i18n, plan.f_committed)} " (" {t!(i18n, plan.mad)} ")"
                    <input name="committed" type="number" min="0" step="any" inputmode="decimal" bind:value=committed />
                </label>
                <label>
                    {t!(i18n, plan.f_status)}
                    <select name="status" on:change=move |e| status.set(event_target_value(&e))>
                        {ActionStatus::ALL
                            .iter()
                            .map(|s| view! { <option value=s.as_str() selected=status.get_untracked() == s.as_str()>{action_status(i18n, *s)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    {t!(i18n, plan.f_progress)} " (%)"
                    <input name="progress" type="number" min="0" max="100" step="1" bind:value=progress />
                </label>
                <label>
                    {t!(i18n, plan.f_weight)}
                    <input name="weight" type="number" min="0" step="any" bind:value=weight />
                </label>
            </div>
            <label>
                {t!(i18n, plan.f_risks)}
                <textarea name="risks" dir="auto" rows="2" bind:value=risks></textarea>
            </label>
            <label>
                {t!(i18n, plan.f_assumptions)}
                <textarea name="assumptions" dir="auto" rows="2" bind:value=assumptions></textarea>
            </label>
            <FormButtons />
        </form>
    }
}

fn opt_show(v: Option<f64>) -> String {
    v.map(show_num).unwrap_or_default()
}

#[component]
fn IndicatorForm(id: Option<ItemId>, action: Option<ItemId>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let current = id
        .as_ref()
        .and_then(|id| {
            ctx.with_plan_untracked(|p| p.indicators.get(id).cloned())
                .flatten()
        })
        .unwrap_or_else(|| Indicator {
            action: action.clone(),
            ..Indicator::default()
        });
    let name = RwSignal::new(current.name.clone());
    let unit = RwSignal::new(current.unit.clone());
    let baseline = RwSignal::new(opt_show(current.baseline));
    let baseline_date = RwSignal::new(current.baseline_date.clone());
    let value = RwSignal::new(opt_show(current.current));
    let current_date = RwSignal::new(current.current_date.clone());
    let verification = RwSignal::new(current.verification.clone());
    let editing = id.is_some();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked().trim().to_owned();
        if n.is_empty() {
            return;
        }
        let id = id.clone().unwrap_or_else(ItemId::random);
        let item = Indicator {
            action: current.action.clone(),
            orientation: current.orientation.clone(),
            name: n,
            unit: unit.get_untracked().trim().to_owned(),
            baseline: num(&baseline.get_untracked()),
            baseline_date: baseline_date.get_untracked(),
            current: num(&value.get_untracked()),
            current_date: current_date.get_untracked(),
            verification: verification.get_untracked().trim().to_owned(),
            deleted: current.deleted,
        };
        ctx.live
            .edit(move |doc| record::put(doc, &id, &item).map(|_| ()));
        close(ctx);
    };
    focus_later("[data-indicator-form] [name=name]".into());
    view! {
        <form class="form card plan-form" data-indicator-form="" on:submit=save on:keydown=on_escape(ctx)>
            <h3>{move || if editing { t_string!(i18n, plan.edit_indicator) } else { t_string!(i18n, plan.add_indicator) }}</h3>
            <div class="plan-form-grid">
                <label>
                    {t!(i18n, plan.f_name)}
                    <input name="name" dir="auto" required bind:value=name />
                </label>
                <label>
                    {t!(i18n, plan.f_unit)}
                    <input name="unit" dir="auto" bind:value=unit />
                </label>
                <label>
                    {t!(i18n, plan.f_baseline)}
                    <input name="baseline" type="number" step="any" bind:value=baseline />
                </label>
                <label>
                    {t!(i18n, plan.f_baseline_date)}
                    <input name="baseline_date" type="date" bind:value=baseline_date />
                </label>
                <label>
                    {t!(i18n, plan.f_current)}
                    <input name="current" type="number" step="any" bind:value=value />
                </label>
                <label>
                    {t!(i18n, plan.f_current_date)}
                    <input name="current_date" type="date" bind:value=current_date />
                </label>
            </div>
            <label>
                {t!(i18n, plan.f_verification)}
                <input name="verification" dir="auto" bind:value=verification />
            </label>
            <FormButtons />
        </form>
    }
}
