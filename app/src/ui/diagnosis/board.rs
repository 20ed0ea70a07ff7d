//! The SWOT board (four quadrants of items, each linked to an issue or a resource) and, below
//! it, the territory's resources grouped by kind.
//!
//! Forms keep their draft in signals owned by the board, not by the item row, so a change
//! arriving from someone else (which may re-render a row or move it to another quadrant) never
//! loses what is being typed. Only one form is open at a time, which is what presence reports.

use crate::{
    i18n::*,
    local::LiveDoc,
    model::{
        ItemId,
        diagnosis::{Diagnosis, Resource, ResourceKind, SwotItem, SwotQuadrant, doc},
        record,
    },
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

pub fn quadrant_label(i18n: I18nContext<Locale>, q: SwotQuadrant) -> &'static str {
    match q {
        SwotQuadrant::Strength => t_string!(i18n, swot.strength),
        SwotQuadrant::Weakness => t_string!(i18n, swot.weakness),
        SwotQuadrant::Opportunity => t_string!(i18n, swot.opportunity),
        SwotQuadrant::Threat => t_string!(i18n, swot.threat),
    }
}

fn quadrant_hint(i18n: I18nContext<Locale>, q: SwotQuadrant) -> &'static str {
    match q {
        SwotQuadrant::Strength => t_string!(i18n, swot.hint_strength),
        SwotQuadrant::Weakness => t_string!(i18n, swot.hint_weakness),
        SwotQuadrant::Opportunity => t_string!(i18n, swot.hint_opportunity),
        SwotQuadrant::Threat => t_string!(i18n, swot.hint_threat),
    }
}

pub fn resource_kind(i18n: I18nContext<Locale>, k: ResourceKind) -> &'static str {
    match k {
        ResourceKind::Natural => t_string!(i18n, resources.natural),
        ResourceKind::Human => t_string!(i18n, resources.human),
        ResourceKind::Financial => t_string!(i18n, resources.financial),
        ResourceKind::Infrastructure => t_string!(i18n, resources.infrastructure),
        ResourceKind::Cultural => t_string!(i18n, resources.cultural),
    }
}

/// A long statement cut for a `<select>` option.
pub(super) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Tells the others which item this page edits whenever `path` changes, and that it edits
/// nothing once the component goes away.
pub(super) fn report_editing(live: LiveDoc, path: Memo<Option<String>>) {
    Effect::new(move |prev: Option<Option<String>>| {
        let current = path.get();
        // The first run with nothing open says nothing: another part of the page may own presence.
        if prev.as_ref() != Some(&current) && (prev.is_some() || current.is_some()) {
            live.editing(current.clone());
        }
        current
    });
    on_cleanup(move || live.editing(None));
}

pub(super) use crate::ui::document::focus_later;

pub(super) use crate::ui::document::Editors;

/// "Delete" that asks once more before acting.
#[component]
pub(super) fn ConfirmDelete(
    /// The question asked before deleting.
    question: &'static str,
    #[prop(into)] on_delete: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    move || {
        if asking.get() {
            view! {
                <span class="confirm-delete" role="group">
                    <span class="question">{question}</span>
                    <button type="button" class="danger small" on:click=move |_| on_delete.run(())>
                        {t!(i18n, swot.confirm_yes)}
                    </button>
                    <button type="button" class="small" on:click=move |_| asking.set(false)>
                        {t!(i18n, swot.cancel)}
                    </button>
                </span>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="danger small" on:click=move |_| asking.set(true)>
                    {t!(i18n, swot.delete)}
                </button>
            }
            .into_any()
        }
    }
}

/// Which form of the tab is open.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Open {
    AddSwot(SwotQuadrant),
    EditSwot(ItemId),
    AddResource(ResourceKind),
    EditResource(ItemId),
}

/// What is being typed in the SWOT form.
#[derive(Clone, Copy)]
struct SwotDraft {
    text: RwSignal<String>,
    quadrant: RwSignal<SwotQuadrant>,
    /// An issue id, or empty for none.
    issue: RwSignal<String>,
    resource: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct ResourceDraft {
    name: RwSignal<String>,
    kind: RwSignal<ResourceKind>,
    notes: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct Board {
    ctx: super::Ctx,
    open: RwSignal<Option<Open>>,
    swot: SwotDraft,
    resource: ResourceDraft,
}

impl Board {
    fn close(&self) {
        let key = match self.open.get_untracked() {
            Some(Open::AddSwot(q)) => format!("[data-add-swot=\"{}\"]", q.as_str()),
            Some(Open::EditSwot(id)) => format!("[data-edit-swot=\"{id}\"]"),
            Some(Open::AddResource(k)) => format!("[data-add-resource=\"{}\"]", k.as_str()),
            Some(Open::EditResource(id)) => format!("[data-edit-resource=\"{id}\"]"),
            None => return,
        };
        self.open.set(None);
        focus_later(key);
    }

    fn open_swot(&self, target: Open, item: Option<SwotItem>, quadrant: SwotQuadrant) {
        let item = item.unwrap_or(SwotItem {
            quadrant,
            text: String::new(),
            issue: None,
            resource: None,
            deleted: false,
        });
        self.swot.text.set(item.text);
        self.swot.quadrant.set(item.quadrant);
        self.swot
            .issue
            .set(item.issue.map(|i| i.0).unwrap_or_default());
        self.swot
            .resource
            .set(item.resource.map(|i| i.0).unwrap_or_default());
        self.open.set(Some(target));
        focus_later("[data-swot-form] [data-autofocus]".into());
    }

    fn open_resource(&self, target: Open, item: Option<Resource>, kind: ResourceKind) {
        let item = item.unwrap_or(Resource {
            name: String::new(),
            kind,
            notes: String::new(),
            deleted: false,
        });
        self.resource.name.set(item.name);
        self.resource.kind.set(item.kind);
        self.resource.notes.set(item.notes);
        self.open.set(Some(target));
        focus_later("[data-resource-form] [data-autofocus]".into());
    }

    fn data<R>(&self, f: impl FnOnce(&Diagnosis) -> R) -> Option<R> {
        self.ctx.data.with(|d| d.as_ref().map(f))
    }

    fn data_untracked<R>(&self, f: impl FnOnce(&Diagnosis) -> R) -> Option<R> {
        self.ctx.data.with_untracked(|d| d.as_ref().map(f))
    }
}

fn some_id(s: String) -> Option<ItemId> {
    (!s.is_empty()).then_some(ItemId(s))
}

#[component]
pub fn SwotBoard() -> impl IntoView {
    let ctx = expect_context::<super::Ctx>();
    let i18n = use_i18n();
    let board = Board {
        ctx,
        open: RwSignal::new(None),
        swot: SwotDraft {
            text: RwSignal::new(String::new()),
            quadrant: RwSignal::new(SwotQuadrant::Strength),
            issue: RwSignal::new(String::new()),
            resource: RwSignal::new(String::new()),
        },
        resource: ResourceDraft {
            name: RwSignal::new(String::new()),
            kind: RwSignal::new(ResourceKind::Natural),
            notes: RwSignal::new(String::new()),
        },
    };
    let editing = Memo::new(move |_| match board.open.get() {
        Some(Open::EditSwot(id)) => Some(format!("swot/{id}")),
        Some(Open::EditResource(id)) => Some(format!("resources/{id}")),
        _ => None,
    });
    report_editing(ctx.live, editing);
    let ready = Memo::new(move |_| ctx.data.with(Option::is_some));
    view! {
        <div class="swot">
            <h2 class="panel-title">{t!(i18n, swot.title)}</h2>
            <p class="hint">{t!(i18n, swot.intro)}</p>
            {move || {
                if ready.get() {
                    view! {
                        <div class="swot-board">
                            {SwotQuadrant::ALL
                                .iter()
                                .map(|q| view! { <Quadrant board=board quadrant=*q /> })
                                .collect_view()}
                        </div>
                        <Resources board=board />
                    }
                        .into_any()
                } else {
                    view! { <p class="loading">{t!(i18n, common.loading)}</p> }.into_any()
                }
            }}
        </div>
    }
}

#[component]
fn Quadrant(board: Board, quadrant: SwotQuadrant) -> impl IntoView {
    let i18n = use_i18n();
    let can_write = board.ctx.live.can_write;
    let ids = Memo::new(move |_| {
        board
            .data(|d| {
                d.live_swot()
                    .filter(|(_, s)| s.quadrant == quadrant)
                    .map(|(id, _)| id.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let adding = Memo::new(move |_| board.open.get() == Some(Open::AddSwot(quadrant)));
    view! {
        <section class=format!("swot-quadrant q-{}", quadrant.as_str()) data-quadrant=quadrant.as_str()>
            <header class="swot-head">
                <h3>{move || quadrant_label(i18n, quadrant)}</h3>
                <span class="swot-count" aria-hidden="true">{move || ids.with(Vec::len)}</span>
                <span class="swot-hint">{move || quadrant_hint(i18n, quadrant)}</span>
            </header>
            <ul class="swot-items">
                <For each=move || ids.get() key=|id| id.clone() children=move |id| view! { <SwotRow board=board id=id /> } />
            </ul>
            {move || ids.with(Vec::is_empty).then(|| view! { <p class="swot-empty">{t!(i18n, swot.empty)}</p> })}
            {move || {
                if !can_write {
                    None
                } else if adding.get() {
                    Some(view! { <SwotForm board=board target=Open::AddSwot(quadrant) /> }.into_any())
                } else {
                    let label = move || {
                        t_string!(i18n, swot.add_to, quadrant = quadrant_label(i18n, quadrant)).to_string()
                    };
                    Some(
                        view! {
                            <button
                                type="button"
                                class="small swot-add"
                                data-add-swot=quadrant.as_str()
                                aria-label=label
                                on:click=move |_| board.open_swot(Open::AddSwot(quadrant), None, quadrant)
                            >
                                <span aria-hidden="true">"+ "</span>
                                {t!(i18n, swot.add)}
                            </button>
                        }
                            .into_any(),
                    )
                }
            }}
        </section>
    }
}

#[component]
fn SwotRow(board: Board, id: ItemId) -> impl IntoView {
    let i18n = use_i18n();
    let item = Memo::new({
        let id = id.clone();
        move |_| board.data(|d| d.swot.get(&id).cloned()).flatten()
    });
    let editing = Memo::new({
        let id = id.clone();
        move |_| board.open.get() == Some(Open::EditSwot(id.clone()))
    });
    let path = format!("swot/{id}");
    let body = {
        let id = id.clone();
        move || {
            if editing.get() {
                return view! { <SwotForm board=board target=Open::EditSwot(id.clone()) /> }
                    .into_any();
            }
            let Some(it) = item.get() else {
                return ().into_any();
            };
            let issue = it.issue.as_ref().and_then(|i| {
                board
                    .data(|d| {
                        d.issues
                            .get(i)
                            .filter(|x| !x.deleted)
                            .map(|x| x.statement.clone())
                    })
                    .flatten()
            });
            let resource = it.resource.as_ref().and_then(|r| {
                board
                    .data(|d| {
                        d.resources
                            .get(r)
                            .filter(|x| !x.deleted)
                            .map(|x| (x.name.clone(), x.kind))
                    })
                    .flatten()
            });
            let edit = board.ctx.live.can_write.then(|| {
                let (id, it) = (id.clone(), it.clone());
                let label = t_string!(i18n, swot.edit_item, item = it.text.clone()).to_string();
                view! {
                    <button
                        type="button"
                        class="small item-edit"
                        data-edit-swot=id.to_string()
                        aria-label=label
                        on:click=move |_| board.open_swot(Open::EditSwot(id.clone()), Some(it.clone()), it.quadrant)
                    >
                        {t!(i18n, swot.edit)}
                    </button>
                }
            });
            view! {
                <div class="swot-item-body">
                    <p class="swot-text" dir="auto">{it.text.clone()}</p>
                    {edit}
                </div>
                {(issue.is_some() || resource.is_some()).then(|| view! {
                    <p class="swot-chips">
                        {issue.map(|s| {
                            let title = s.clone();
                            view! {
                            <span class="swot-chip chip-issue" title=title>
                                <span class="chip-kind">{t!(i18n, swot.chip_issue)}</span>
                                <span class="chip-name" dir="auto">{s}</span>
                            </span>
                        }})}
                        {resource.map(|(name, kind)| {
                            let title = format!("{} · {}", resource_kind(i18n, kind), name);
                            view! {
                            <span class="swot-chip chip-resource" title=title>
                                <span class="chip-kind">{t!(i18n, swot.chip_resource)}</span>
                                <span class="chip-name" dir="auto">{name}</span>
                            </span>
                        }})}
                    </p>
                })}
            }
            .into_any()
        }
    };
    on_cleanup({
        let id = id.clone();
        move || {
            // The item was deleted (here or elsewhere) while its form was open: close the form.
            let gone = board
                .data_untracked(|d| d.swot.get(&id).is_none_or(|s| s.deleted))
                .unwrap_or(true);
            if gone && board.open.try_get_untracked().flatten() == Some(Open::EditSwot(id.clone()))
            {
                board.open.set(None);
            }
        }
    });
    view! {
        <li class="swot-item" class:editing=move || editing.get() data-swot-item=id.to_string()>
            <Editors path=path />
            {body}
        </li>
    }
}

#[component]
fn SwotForm(board: Board, target: Open) -> impl IntoView {
    let i18n = use_i18n();
    let draft = board.swot;
    let existing = match &target {
        Open::EditSwot(id) => Some(id.clone()),
        _ => None,
    };
    let save = {
        let existing = existing.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = draft.text.get_untracked().trim().to_owned();
            if text.is_empty() {
                return;
            }
            let id = existing.clone().unwrap_or_else(ItemId::random);
            let deleted = board
                .data_untracked(|d| d.swot.get(&id).is_some_and(|s| s.deleted))
                .unwrap_or(false);
            let item = SwotItem {
                quadrant: draft.quadrant.get_untracked(),
                text,
                issue: some_id(draft.issue.get_untracked()),
                resource: some_id(draft.resource.get_untracked()),
                deleted,
            };
            board
                .ctx
                .live
                .edit(move |doc| record::put(doc, &id, &item).map(|_| ()));
            if existing.is_some() {
                board.close();
            } else {
                // Keep the form open for the next item: workshops add several in a row.
                draft.text.set(String::new());
                focus_later("[data-swot-form] [data-autofocus]".into());
            }
        }
    };
    let on_keydown = move |e: leptos::ev::KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            board.close();
        }
    };
    let issues = move || {
        board
            .data(|d| {
                d.live_issues()
                    .map(|(id, i)| (id.0.clone(), shorten(&i.statement, 70)))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let resources = move || {
        board
            .data(|d| {
                ResourceKind::ALL
                    .iter()
                    .map(|k| {
                        let list = d
                            .live_resources()
                            .filter(|(_, r)| r.kind == *k)
                            .map(|(id, r)| (id.0.clone(), shorten(&r.name, 70)))
                            .collect::<Vec<_>>();
                        (*k, list)
                    })
                    .filter(|(_, list)| !list.is_empty())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let delete = existing.clone().map(|id| {
        view! {
            <ConfirmDelete
                question=t_string!(i18n, swot.confirm_delete)
                on_delete=move |_| {
                    let id = id.clone();
                    board.ctx.live.edit(move |doc| doc::delete(doc, "swot", &id));
                    board.open.set(None);
                }
            />
        }
    });
    view! {
        <form class="form item-form swot-form" data-swot-form on:submit=save on:keydown=on_keydown>
            <label>
                <span>{t!(i18n, swot.text)}</span>
                <input
                    type="text"
                    name="swot-text"
                    required
                    maxlength="500"
                    dir="auto"
                    autocomplete="off"
                    data-autofocus
                    prop:value=move || draft.text.get()
                    on:input=move |e| draft.text.set(event_target_value(&e))
                />
            </label>
            {existing.is_some().then(|| view! {
                <label>
                    <span>{t!(i18n, swot.quadrant)}</span>
                    <select
                        name="swot-quadrant"
                        on:change=move |e| {
                            if let Some(q) = SwotQuadrant::parse(&event_target_value(&e)) {
                                draft.quadrant.set(q);
                            }
                        }
                    >
                        {SwotQuadrant::ALL
                            .iter()
                            .map(|q| {
                                let q = *q;
                                view! {
                                    <option value=q.as_str() selected=move || draft.quadrant.get() == q>
                                        {quadrant_label(i18n, q)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            })}
            <label>
                <span>{t!(i18n, swot.issue)}</span>
                <select name="swot-issue" on:change=move |e| draft.issue.set(event_target_value(&e))>
                    <option value="" selected=move || draft.issue.with(String::is_empty)>{t!(i18n, swot.none)}</option>
                    {move || {
                        issues()
                            .into_iter()
                            .map(|(id, s)| {
                                let value = id.clone();
                                view! {
                                    <option value=value dir="auto" selected=move || draft.issue.with(|v| *v == id)>{s}</option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <label>
                <span>{t!(i18n, swot.resource)}</span>
                <select name="swot-resource" on:change=move |e| draft.resource.set(event_target_value(&e))>
                    <option value="" selected=move || draft.resource.with(String::is_empty)>{t!(i18n, swot.none)}</option>
                    {move || {
                        resources()
                            .into_iter()
                            .map(|(kind, list)| {
                                view! {
                                    <optgroup label=resource_kind(i18n, kind)>
                                        {list
                                            .into_iter()
                                            .map(|(id, name)| {
                                                let value = id.clone();
                                                view! {
                                                    <option value=value dir="auto" selected=move || draft.resource.with(|v| *v == id)>{name}</option>
                                                }
                                            })
                                            .collect_view()}
                                    </optgroup>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <div class="form-actions">
                <button type="submit" class="button small">
                    {move || if existing.is_some() { t_string!(i18n, swot.save) } else { t_string!(i18n, swot.add) }}
                </button>
                <button type="button" class="small" on:click=move |_| board.close()>{t!(i18n, swot.cancel)}</button>
                {delete}
            </div>
        </form>
    }
}

#[component]
fn Resources(board: Board) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="resources" aria-labelledby="resources-title">
            <h2 id="resources-title">{t!(i18n, resources.title)}</h2>
            <p class="hint">{t!(i18n, resources.intro)}</p>
            <div class="resource-groups">
                {ResourceKind::ALL
                    .iter()
                    .map(|k| view! { <ResourceGroup board=board kind=*k /> })
                    .collect_view()}
            </div>
        </section>
    }
}

#[component]
fn ResourceGroup(board: Board, kind: ResourceKind) -> impl IntoView {
    let i18n = use_i18n();
    let can_write = board.ctx.live.can_write;
    let ids = Memo::new(move |_| {
        board
            .data(|d| {
                d.live_resources()
                    .filter(|(_, r)| r.kind == kind)
                    .map(|(id, _)| id.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let adding = Memo::new(move |_| board.open.get() == Some(Open::AddResource(kind)));
    view! {
        <section class=format!("resource-group k-{}", kind.as_str()) data-kind=kind.as_str()>
            <header class="resource-head">
                <h3>{move || resource_kind(i18n, kind)}</h3>
                {move || {
                    (can_write && !adding.get()).then(|| {
                        let label = move || t_string!(i18n, resources.add_kind, kind = resource_kind(i18n, kind)).to_string();
                        view! {
                            <button
                                type="button"
                                class="small icon-button"
                                data-add-resource=kind.as_str()
                                aria-label=label
                                title=label
                                on:click=move |_| board.open_resource(Open::AddResource(kind), None, kind)
                            >
                                <span aria-hidden="true">"+"</span>
                            </button>
                        }
                    })
                }}
            </header>
            <ul class="resource-items">
                <For each=move || ids.get() key=|id| id.clone() children=move |id| view! { <ResourceRow board=board id=id /> } />
            </ul>
            {move || ids.with(Vec::is_empty).then(|| view! { <p class="swot-empty">{t!(i18n, resources.empty)}</p> })}
            {move || (can_write && adding.get()).then(|| view! { <ResourceForm board=board target=Open::AddResource(kind) /> })}
        </section>
    }
}

#[component]
fn ResourceRow(board: Board, id: ItemId) -> impl IntoView {
    let i18n = use_i18n();
    let item = Memo::new({
        let id = id.clone();
        move |_| board.data(|d| d.resources.get(&id).cloned()).flatten()
    });
    let editing = Memo::new({
        let id = id.clone();
        move |_| board.open.get() == Some(Open::EditResource(id.clone()))
    });
    let path = format!("resources/{id}");
    let body = {
        let id = id.clone();
        move || {
            if editing.get() {
                return view! { <ResourceForm board=board target=Open::EditResource(id.clone()) /> }.into_any();
            }
            let Some(r) = item.get() else {
                return ().into_any();
            };
            let edit = board.ctx.live.can_write.then(|| {
                let (id, r) = (id.clone(), r.clone());
                let label = t_string!(i18n, swot.edit_item, item = r.name.clone()).to_string();
                view! {
                    <button
                        type="button"
                        class="small item-edit"
                        data-edit-resource=id.to_string()
                        aria-label=label
                        on:click=move |_| board.open_resource(Open::EditResource(id.clone()), Some(r.clone()), r.kind)
                    >
                        {t!(i18n, swot.edit)}
                    </button>
                }
            });
            view! {
                <div class="resource-body">
                    <div>
                        <p class="resource-name" dir="auto">{r.name.clone()}</p>
                        {(!r.notes.is_empty()).then(|| view! { <p class="resource-notes" dir="auto">{r.notes.clone()}</p> })}
                    </div>
                    {edit}
                </div>
            }
                .into_any()
        }
    };
    on_cleanup({
        let id = id.clone();
        move || {
            let gone = board
                .data_untracked(|d| d.resources.get(&id).is_none_or(|r| r.deleted))
                .unwrap_or(true);
            if gone
                && board.open.try_get_untracked().flatten() == Some(Open::EditResource(id.clone()))
            {
                board.open.set(None);
            }
        }
    });
    view! {
        <li class="resource-item" class:editing=move || editing.get() data-resource=id.to_string()>
            <Editors path=path />
            {body}
        </li>
    }
}

#[component]
fn ResourceForm(board: Board, target: Open) -> impl IntoView {
    let i18n = use_i18n();
    let draft = board.resource;
    let existing = match &target {
        Open::EditResource(id) => Some(id.clone()),
        _ => None,
    };
    let save = {
        let existing = existing.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let name = draft.name.get_untracked().trim().to_owned();
            if name.is_empty() {
                return;
            }
            let id = existing.clone().unwrap_or_else(ItemId::random);
            let deleted = board
                .data_untracked(|d| d.resources.get(&id).is_some_and(|r| r.deleted))
                .unwrap_or(false);
            let item = Resource {
                name,
                kind: draft.kind.get_untracked(),
                notes: draft.notes.get_untracked().trim().to_owned(),
                deleted,
            };
            board
                .ctx
                .live
                .edit(move |doc| record::put(doc, &id, &item).map(|_| ()));
            board.close();
        }
    };
    let on_keydown = move |e: leptos::ev::KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            board.close();
        }
    };
    let delete = existing.clone().map(|id| {
        view! {
            <ConfirmDelete
                question=t_string!(i18n, resources.confirm_delete)
                on_delete=move |_| {
                    let id = id.clone();
                    board.ctx.live.edit(move |doc| doc::delete(doc, "resources", &id));
                    board.open.set(None);
                }
            />
        }
    });
    view! {
        <form class="form item-form resource-form" data-resource-form on:submit=save on:keydown=on_keydown>
            <label>
                <span>{t!(i18n, resources.name)}</span>
                <input
                    type="text"
                    name="resource-name"
                    required
                    maxlength="200"
                    dir="auto"
                    data-autofocus
                    prop:value=move || draft.name.get()
                    on:input=move |e| draft.name.set(event_target_value(&e))
                />
            </label>
            <label>
                <span>{t!(i18n, resources.kind)}</span>
                <select
                    name="resource-kind"
                    on:change=move |e| {
                        if let Some(k) = ResourceKind::parse(&event_target_value(&e)) {
                            draft.kind.set(k);
                        }
                    }
                >
                    {ResourceKind::ALL
                        .iter()
                        .map(|k| {
                            let k = *k;
                            view! {
                                <option value=k.as_str() selected=move || draft.kind.get() == k>{resource_kind(i18n, k)}</option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>{t!(i18n, resources.notes)}</span>
                <textarea
                    name="resource-notes"
                    rows="2"
                    maxlength="1000"
                    dir="auto"
                    prop:value=move || draft.notes.get()
                    on:input=move |e| draft.notes.set(event_target_value(&e))
                ></textarea>
            </label>
            <div class="form-actions">
                <button type="submit" class="button small">
                    {move || if existing.is_some() { t_string!(i18n, swot.save) } else { t_string!(i18n, swot.add) }}
                </button>
                <button type="button" class="small" on:click=move |_| board.close()>{t!(i18n, swot.cancel)}</button>
                {delete}
            </div>
        </form>
    }
}
