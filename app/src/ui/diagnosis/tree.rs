//! The problem tree: each core problem in the middle, its effects above (effects of effects
//! higher still) and its causes below (sub-causes under their cause), drawn with nested lists
//! and CSS connector lines. Issues that hang from nothing live stay in a list of their own.
//!
//! The tree's shape (who hangs from whom) is a memo compared by value, and every level is a
//! keyed list, so an edit elsewhere re-renders only what changed and an open form survives it.

use super::board::{ConfirmDelete, Editors, focus_later, report_editing, shorten};
use crate::{
    i18n::*,
    model::{
        ItemId,
        diagnosis::{Diagnosis, Issue, IssueRole, doc},
        record,
    },
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use std::collections::{BTreeMap, BTreeSet};

pub fn role_label(i18n: I18nContext<Locale>, role: IssueRole) -> &'static str {
    match role {
        IssueRole::Core => t_string!(i18n, tree.core),
        IssueRole::Cause => t_string!(i18n, tree.cause),
        IssueRole::Effect => t_string!(i18n, tree.effect),
    }
}

/// Who hangs from whom, for live issues only.
#[derive(Clone, Debug, Default, PartialEq)]
struct Shape {
    /// The roots of the trees.
    cores: Vec<ItemId>,
    /// Each issue's children, with their role, along a spanning forest (so a cycle of parents
    /// can never make the rendering recurse forever).
    kids: BTreeMap<ItemId, Vec<(ItemId, IssueRole)>>,
    /// Issues reachable from no core problem: no parent, a deleted parent, or a cycle.
    unattached: Vec<ItemId>,
}

impl Shape {
    fn of(d: &Diagnosis) -> Shape {
        let live: BTreeMap<&ItemId, &Issue> = d.live_issues().collect();
        let mut children: BTreeMap<&ItemId, Vec<&ItemId>> = BTreeMap::new();
        for (id, issue) in &live {
            if issue.role == IssueRole::Core {
                continue;
            }
            if let Some(parent) = &issue.parent
                && parent != *id
                && live.contains_key(parent)
            {
                children.entry(parent).or_default().push(id);
            }
        }
        let mut shape = Shape::default();
        let mut seen: BTreeSet<&ItemId> = BTreeSet::new();
        for (id, issue) in &live {
            if issue.role == IssueRole::Core {
                seen.insert(*id);
                shape.cores.push((*id).clone());
                shape.walk(id, &children, &live, &mut seen);
            }
        }
        // Roots first (no live parent), then whatever a cycle of parents left out.
        let orphan = |i: &Issue| i.parent.as_ref().is_none_or(|p| !live.contains_key(p));
        for pass in [true, false] {
            for (id, issue) in &live {
                if (!pass || orphan(issue)) && !seen.contains(id) {
                    seen.insert(*id);
                    shape.unattached.push((*id).clone());
                    shape.walk(id, &children, &live, &mut seen);
                }
            }
        }
        shape
    }

    /// Adds what hangs from `root` and was not placed yet.
    fn walk<'a>(
        &mut self,
        root: &'a ItemId,
        children: &BTreeMap<&'a ItemId, Vec<&'a ItemId>>,
        live: &BTreeMap<&'a ItemId, &'a Issue>,
        seen: &mut BTreeSet<&'a ItemId>,
    ) {
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            for kid in children.get(id).into_iter().flatten().copied() {
                if seen.insert(kid) {
                    let role = live.get(kid).map_or(IssueRole::Cause, |i| i.role);
                    self.kids
                        .entry(id.clone())
                        .or_default()
                        .push((kid.clone(), role));
                    stack.push(kid);
                }
            }
        }
    }

    fn kids_of(&self, id: &ItemId, keep: impl Fn(IssueRole) -> bool) -> Vec<ItemId> {
        self.kids
            .get(id)
            .map(|v| {
                v.iter()
                    .filter(|(_, r)| keep(*r))
                    .map(|(i, _)| i.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The issue and everything under it: never a valid parent for it.
    fn subtree(&self, id: &ItemId) -> BTreeSet<ItemId> {
        let mut out = BTreeSet::new();
        let mut stack = vec![id.clone()];
        while let Some(id) = stack.pop() {
            if out.insert(id.clone()) {
                stack.extend(
                    self.kids
                        .get(&id)
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k.clone()),
                );
            }
        }
        out
    }
}

/// Which issue form is open.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Open {
    /// A new issue, its form shown under `parent` (at the top when `None`).
    Add {
        parent: Option<ItemId>,
        role: IssueRole,
    },
    Edit(ItemId),
}

/// The `data-add-issue` value of the button adding an issue of `role` under `parent`.
fn add_key(parent: Option<&ItemId>, role: IssueRole) -> String {
    match parent {
        Some(p) => format!("{p}-{}", role.as_str()),
        None => role.as_str().to_owned(),
    }
}

impl Open {
    /// The button that opened the form, to give focus back to.
    fn opener(&self) -> String {
        match self {
            Open::Add { parent, role } => {
                format!("[data-add-issue=\"{}\"]", add_key(parent.as_ref(), *role))
            }
            Open::Edit(id) => format!("[data-edit-issue=\"{id}\"]"),
        }
    }
}

#[derive(Clone, Copy)]
struct Draft {
    statement: RwSignal<String>,
    role: RwSignal<IssueRole>,
    /// An issue id, or empty for none.
    parent: RwSignal<String>,
    evidence: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct Tree {
    ctx: super::Ctx,
    open: RwSignal<Option<Open>>,
    draft: Draft,
    shape: Memo<Shape>,
}

impl Tree {
    fn data<R>(&self, f: impl FnOnce(&Diagnosis) -> R) -> Option<R> {
        self.ctx.data.with(|d| d.as_ref().map(f))
    }

    fn data_untracked<R>(&self, f: impl FnOnce(&Diagnosis) -> R) -> Option<R> {
        self.ctx.data.with_untracked(|d| d.as_ref().map(f))
    }

    fn open_form(&self, target: Open) {
        let issue = match &target {
            Open::Edit(id) => self.data_untracked(|d| d.issues.get(id).cloned()).flatten(),
            Open::Add { .. } => None,
        };
        let issue = issue.unwrap_or_else(|| {
            let (parent, role) = match &target {
                Open::Add { parent, role } => (parent.clone(), *role),
                Open::Edit(_) => (None, IssueRole::Cause),
            };
            // From the top-level button, hang the new issue under the first core problem.
            let parent = parent.or_else(|| {
                (role != IssueRole::Core)
                    .then(|| self.shape.with_untracked(|s| s.cores.first().cloned()))
                    .flatten()
            });
            Issue {
                statement: String::new(),
                role,
                parent,
                evidence: String::new(),
                deleted: false,
            }
        });
        self.draft.statement.set(issue.statement);
        self.draft.role.set(issue.role);
        self.draft
            .parent
            .set(issue.parent.map(|p| p.0).unwrap_or_default());
        self.draft.evidence.set(issue.evidence);
        self.open.set(Some(target));
        focus_later("[data-issue-form] [data-autofocus]".into());
    }

    fn close(&self) {
        if let Some(open) = self.open.get_untracked() {
            self.open.set(None);
            focus_later(open.opener());
        }
    }
}

#[component]
pub fn ProblemTree() -> impl IntoView {
    let ctx = expect_context::<super::Ctx>();
    let i18n = use_i18n();
    let shape = Memo::new(move |_| {
        ctx.data
            .with(|d| d.as_ref().map(Shape::of).unwrap_or_default())
    });
    let tree = Tree {
        ctx,
        open: RwSignal::new(None),
        draft: Draft {
            statement: RwSignal::new(String::new()),
            role: RwSignal::new(IssueRole::Cause),
            parent: RwSignal::new(String::new()),
            evidence: RwSignal::new(String::new()),
        },
        shape,
    };
    let editing = Memo::new(move |_| match tree.open.get() {
        Some(Open::Edit(id)) => Some(format!("issues/{id}")),
        _ => None,
    });
    report_editing(ctx.live, editing);
    let ready = Memo::new(move |_| ctx.data.with(Option::is_some));
    let top_target = Open::Add {
        parent: None,
        role: IssueRole::Cause,
    };
    let adding_top = Memo::new({
        let top_target = top_target.clone();
        move |_| tree.open.get().as_ref() == Some(&top_target)
    });
    let cores = Memo::new(move |_| shape.with(|s| s.cores.clone()));
    let unattached = Memo::new(move |_| shape.with(|s| s.unattached.clone()));
    view! {
        <div class="ptree">
            <div class="ptree-top">
                <div>
                    <h2 class="panel-title">{t!(i18n, tree.title)}</h2>
                    <p class="hint">{t!(i18n, tree.intro)}</p>
                </div>
                {
                    let top_target = top_target.clone();
                    move || {
                    (ctx.live.can_write && ready.get() && !adding_top.get()).then(|| {
                        let target = top_target.clone();
                        view! {
                            <button
                                type="button"
                                class="button small"
                                data-add-issue=add_key(None, IssueRole::Cause)
                                on:click=move |_| tree.open_form(target.clone())
                            >
                                <span aria-hidden="true">"+ "</span>
                                {t!(i18n, tree.add)}
                            </button>
                        }
                    })
                }}
            </div>
            {
                let target = top_target.clone();
                move || adding_top.get().then(|| view! { <IssueForm tree=tree target=target.clone() /> })
            }
            {move || {
                if !ready.get() {
                    return view! { <p class="loading">{t!(i18n, common.loading)}</p> }.into_any();
                }
                view! {
                    {move || cores.with(Vec::is_empty).then(|| view! { <p class="notice">{t!(i18n, tree.no_core)}</p> })}
                    <For each=move || cores.get() key=|id| id.clone() children=move |id| view! { <CoreTree tree=tree id=id /> } />
                    {move || {
                        (!unattached.with(Vec::is_empty)).then(|| view! {
                            <section class="ptree-unattached card" aria-labelledby="ptree-unattached">
                                <h3 id="ptree-unattached">{t!(i18n, tree.unattached)}</h3>
                                <p class="hint">{t!(i18n, tree.unattached_hint)}</p>
                                <ul class="pt-sub pt-down pt-loose">
                                    <For
                                        each=move || unattached.get()
                                        key=|id| id.clone()
                                        children=move |id| view! { <IssueNode tree=tree id=id up=false /> }
                                    />
                                </ul>
                            </section>
                        })
                    }}
                }
                    .into_any()
            }}
        </div>
    }
}

#[component]
fn CoreTree(tree: Tree, id: ItemId) -> impl IntoView {
    let i18n = use_i18n();
    let effects = Memo::new({
        let id = id.clone();
        move |_| {
            tree.shape
                .with(|s| s.kids_of(&id, |r| r == IssueRole::Effect))
        }
    });
    let causes = Memo::new({
        let id = id.clone();
        move |_| {
            tree.shape
                .with(|s| s.kids_of(&id, |r| r != IssueRole::Effect))
        }
    });
    let label = {
        let id = id.clone();
        move || {
            let statement = tree
                .data(|d| d.issues.get(&id).map(|i| i.statement.clone()))
                .flatten()
                .unwrap_or_default();
            t_string!(i18n, tree.tree_of, item = statement).to_string()
        }
    };
    view! {
        <section
            class="pt-tree card"
            class:has-effects=move || !effects.with(Vec::is_empty)
            class:has-causes=move || !causes.with(Vec::is_empty)
            aria-label=label
        >
            <div class="pt-zone pt-zone-effects">
                <p class="pt-zone-label"><span aria-hidden="true">"↑ "</span>{t!(i18n, tree.effects)}</p>
                {move || effects.with(Vec::is_empty).then(|| view! { <p class="pt-empty">{t!(i18n, tree.no_effects)}</p> })}
                <ul class="pt-level pt-up">
                    <For each=move || effects.get() key=|id| id.clone() children=move |id| view! { <IssueNode tree=tree id=id up=true /> } />
                </ul>
            </div>
            <div class="pt-core">
                <NodeCard tree=tree id=id.clone() up=false />
            </div>
            <div class="pt-zone pt-zone-causes">
                <ul class="pt-level pt-down">
                    <For each=move || causes.get() key=|id| id.clone() children=move |id| view! { <IssueNode tree=tree id=id up=false /> } />
                </ul>
                {move || causes.with(Vec::is_empty).then(|| view! { <p class="pt-empty">{t!(i18n, tree.no_causes)}</p> })}
                <p class="pt-zone-label"><span aria-hidden="true">"↓ "</span>{t!(i18n, tree.causes)}</p>
            </div>
        </section>
    }
}

/// An issue and, above (`up`) or below it, what hangs from it.
#[component]
fn IssueNode(tree: Tree, id: ItemId, up: bool) -> AnyView {
    let kids = Memo::new({
        let id = id.clone();
        move |_| tree.shape.with(|s| s.kids_of(&id, |_| true))
    });
    let sub = move || {
        (!kids.with(Vec::is_empty)).then(|| {
            view! {
                <ul class=if up { "pt-sub pt-up" } else { "pt-sub pt-down" }>
                    <For
                        each=move || kids.get()
                        key=|id| id.clone()
                        children=move |id| view! { <IssueNode tree=tree id=id up=up /> }.into_any()
                    />
                </ul>
            }
        })
    };
    if up {
        view! {
            <li class="pt-item">
                {sub}
                <NodeCard tree=tree id=id up=up />
            </li>
        }
        .into_any()
    } else {
        view! {
            <li class="pt-item">
                <NodeCard tree=tree id=id up=up />
                {sub}
            </li>
        }
        .into_any()
    }
}

/// One issue's card (or its edit form), and the form adding something under it.
#[component]
fn NodeCard(tree: Tree, id: ItemId, up: bool) -> impl IntoView {
    let i18n = use_i18n();
    let issue = Memo::new({
        let id = id.clone();
        move |_| tree.data(|d| d.issues.get(&id).cloned()).flatten()
    });
    let role = Memo::new(move |_| issue.with(|i| i.as_ref().map_or(IssueRole::Cause, |i| i.role)));
    let editing = Memo::new({
        let id = id.clone();
        move |_| tree.open.get() == Some(Open::Edit(id.clone()))
    });
    // The add form under this card, if one is open here.
    let adding = Memo::new({
        let id = id.clone();
        move |_| match tree.open.get() {
            Some(Open::Add {
                parent: Some(p),
                role,
            }) if p == id => Some(role),
            _ => None,
        }
    });
    let path = format!("issues/{id}");
    let body = {
        let id = id.clone();
        move || {
            if editing.get() {
                return view! { <IssueForm tree=tree target=Open::Edit(id.clone()) /> }.into_any();
            }
            let Some(it) = issue.get() else {
                return ().into_any();
            };
            let actions = tree.ctx.live.can_write.then(|| {
                // What can hang from this issue, in the direction it grows.
                let child_roles: &[IssueRole] = match it.role {
                    IssueRole::Core => &[IssueRole::Cause, IssueRole::Effect],
                    _ if up => &[IssueRole::Effect],
                    _ => &[IssueRole::Cause],
                };
                let edit_label = t_string!(i18n, swot.edit_item, item = it.statement.clone()).to_string();
                let edit_id = id.clone();
                view! {
                    <div class="pt-actions">
                        <button
                            type="button"
                            class="small item-edit"
                            data-edit-issue=id.to_string()
                            aria-label=edit_label
                            on:click=move |_| tree.open_form(Open::Edit(edit_id.clone()))
                        >
                            {t!(i18n, swot.edit)}
                        </button>
                        {child_roles
                            .iter()
                            .map(|r| {
                                let r = *r;
                                let target = Open::Add { parent: Some(id.clone()), role: r };
                                let key = add_key(Some(&id), r);
                                let label = if r == IssueRole::Effect {
                                    t_string!(i18n, tree.add_effect_to, item = it.statement.clone()).to_string()
                                } else {
                                    t_string!(i18n, tree.add_cause_to, item = it.statement.clone()).to_string()
                                };
                                view! {
                                    <button
                                        type="button"
                                        class="small pt-add"
                                        data-add-issue=key
                                        aria-label=label
                                        on:click=move |_| tree.open_form(target.clone())
                                    >
                                        <span aria-hidden="true">"+ "</span>
                                        {if r == IssueRole::Effect { t_string!(i18n, tree.add_effect) } else { t_string!(i18n, tree.add_cause) }}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                }
            });
            view! {
                <p class="pt-role">{role_label(i18n, it.role)}</p>
                <p class="pt-statement" dir="auto">{it.statement.clone()}</p>
                {(!it.evidence.is_empty()).then(|| view! { <p class="pt-evidence" dir="auto">{it.evidence.clone()}</p> })}
                {actions}
            }
                .into_any()
        }
    };
    on_cleanup({
        let id = id.clone();
        move || {
            // Deleted (here or elsewhere) while its form was open: close the form.
            let gone = tree
                .data_untracked(|d| d.issues.get(&id).is_none_or(|i| i.deleted))
                .unwrap_or(true);
            if gone {
                let mine = |o: &Option<Open>| match o {
                    Some(Open::Edit(e)) => *e == id,
                    Some(Open::Add {
                        parent: Some(p), ..
                    }) => *p == id,
                    _ => false,
                };
                if tree.open.try_with_untracked(mine).unwrap_or(false) {
                    tree.open.set(None);
                }
            }
        }
    });
    view! {
        <div
            class="pt-node"
            class:editing=move || editing.get()
            data-issue=id.to_string()
            data-role=move || role.get().as_str()
        >
            <Editors path=path />
            {body}
        </div>
        {move || {
            adding.get().map(|r| view! { <IssueForm tree=tree target=Open::Add { parent: Some(id.clone()), role: r } /> })
        }}
    }
}

#[component]
fn IssueForm(tree: Tree, target: Open) -> impl IntoView {
    let i18n = use_i18n();
    let draft = tree.draft;
    let existing = match &target {
        Open::Edit(id) => Some(id.clone()),
        Open::Add { .. } => None,
    };
    let is_edit = existing.is_some();
    let save = {
        let existing = existing.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let statement = draft.statement.get_untracked().trim().to_owned();
            if statement.is_empty() {
                return;
            }
            let id = existing.clone().unwrap_or_else(ItemId::random);
            let role = draft.role.get_untracked();
            let parent = draft.parent.get_untracked();
            let deleted = tree
                .data_untracked(|d| d.issues.get(&id).is_some_and(|i| i.deleted))
                .unwrap_or(false);
            let item = Issue {
                statement,
                role,
                parent: (role != IssueRole::Core && !parent.is_empty() && parent != id.0)
                    .then_some(ItemId(parent)),
                evidence: draft.evidence.get_untracked().trim().to_owned(),
                deleted,
            };
            tree.ctx
                .live
                .edit(move |doc| record::put(doc, &id, &item).map(|_| ()));
            tree.close();
        }
    };
    let on_keydown = move |e: leptos::ev::KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            tree.close();
        }
    };
    // Possible parents: every live issue but this one and what hangs from it.
    let parents = Memo::new({
        let existing = existing.clone();
        move |_| {
            let excluded = existing
                .as_ref()
                .map(|id| tree.shape.with(|s| s.subtree(id)))
                .unwrap_or_default();
            let mut list = tree
                .data(|d| {
                    d.live_issues()
                        .filter(|(id, _)| !excluded.contains(*id))
                        .map(|(id, i)| (id.0.clone(), i.role, shorten(&i.statement, 60)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            list.sort_by_key(|(_, role, _)| match role {
                IssueRole::Core => 0,
                IssueRole::Cause => 1,
                IssueRole::Effect => 2,
            });
            list
        }
    });
    let delete = existing.clone().map(|id| {
        view! {
            <ConfirmDelete
                question=t_string!(i18n, tree.confirm_delete)
                on_delete=move |_| {
                    let id = id.clone();
                    tree.ctx.live.edit(move |doc| doc::delete(doc, "issues", &id));
                    tree.open.set(None);
                }
            />
        }
    });
    view! {
        <form class="form item-form issue-form" data-issue-form on:submit=save on:keydown=on_keydown>
            <label>
                <span>{t!(i18n, tree.statement)}</span>
                <textarea
                    name="issue-statement"
                    rows="2"
                    required
                    maxlength="500"
                    dir="auto"
                    data-autofocus
                    prop:value=move || draft.statement.get()
                    on:input=move |e| draft.statement.set(event_target_value(&e))
                ></textarea>
            </label>
            <label>
                <span>{t!(i18n, tree.role)}</span>
                <select
                    name="issue-role"
                    on:change=move |e| {
                        if let Some(r) = IssueRole::parse(&event_target_value(&e)) {
                            draft.role.set(r);
                        }
                    }
                >
                    {IssueRole::ALL
                        .iter()
                        .map(|r| {
                            let r = *r;
                            view! { <option value=r.as_str() selected=move || draft.role.get() == r>{role_label(i18n, r)}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            {move || {
                (draft.role.get() != IssueRole::Core).then(|| view! {
                    <label>
                        <span>{t!(i18n, tree.parent)}</span>
                        <select name="issue-parent" on:change=move |e| draft.parent.set(event_target_value(&e))>
                            <option value="" selected=move || draft.parent.with(String::is_empty)>{t!(i18n, tree.no_parent)}</option>
                            {move || {
                                parents
                                    .get()
                                    .into_iter()
                                    .map(|(id, role, statement)| {
                                        let value = id.clone();
                                        let text = format!("{} · {}", role_label(i18n, role), statement);
                                        view! {
                                            <option value=value dir="auto" selected=move || draft.parent.with(|p| *p == id)>{text}</option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                })
            }}
            <label>
                <span>{t!(i18n, tree.evidence)}</span>
                <textarea
                    name="issue-evidence"
                    rows="2"
                    maxlength="2000"
                    dir="auto"
                    prop:value=move || draft.evidence.get()
                    on:input=move |e| draft.evidence.set(event_target_value(&e))
                ></textarea>
            </label>
            <div class="form-actions">
                <button type="submit" class="button small">
                    {move || if is_edit { t_string!(i18n, swot.save) } else { t_string!(i18n, swot.add) }}
                </button>
                <button type="button" class="small" on:click=move |_| tree.close()>{t!(i18n, swot.cancel)}</button>
                {delete}
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(role: IssueRole, parent: Option<&str>) -> Issue {
        Issue {
            statement: String::new(),
            role,
            parent: parent.map(ItemId::from),
            evidence: String::new(),
            deleted: false,
        }
    }

    #[test]
    fn shape_places_every_live_issue_once() {
        let mut d = Diagnosis::default();
        d.issues.insert("core".into(), issue(IssueRole::Core, None));
        d.issues
            .insert("c1".into(), issue(IssueRole::Cause, Some("core")));
        d.issues
            .insert("c2".into(), issue(IssueRole::Cause, Some("c1")));
        d.issues
            .insert("e1".into(), issue(IssueRole::Effect, Some("core")));
        d.issues
            .insert("lost".into(), issue(IssueRole::Cause, Some("gone")));
        d.issues
            .insert("x".into(), issue(IssueRole::Cause, Some("y")));
        d.issues
            .insert("y".into(), issue(IssueRole::Cause, Some("x")));
        let mut dead = issue(IssueRole::Cause, Some("core"));
        dead.deleted = true;
        d.issues.insert("dead".into(), dead);
        let s = Shape::of(&d);
        assert_eq!(s.cores, vec![ItemId::from("core")]);
        assert_eq!(
            s.kids_of(&"core".into(), |r| r == IssueRole::Effect),
            vec![ItemId::from("e1")]
        );
        assert_eq!(
            s.kids_of(&"core".into(), |r| r != IssueRole::Effect),
            vec![ItemId::from("c1")]
        );
        assert_eq!(s.kids_of(&"c1".into(), |_| true), vec![ItemId::from("c2")]);
        assert_eq!(s.unattached, vec![ItemId::from("lost"), ItemId::from("x")]);
        assert_eq!(s.kids_of(&"x".into(), |_| true), vec![ItemId::from("y")]);
        assert!(s.kids_of(&"y".into(), |_| true).is_empty());
        assert_eq!(s.subtree(&"core".into()).len(), 4);
    }
}
