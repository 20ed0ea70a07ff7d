//! The sociogram editor: actors and ties drawn as an SVG graph with a deterministic force
//! layout (computed here, in wasm), filters, zoom and pan, direct manipulation (drag a node to
//! pin it, draw a tie from one actor to another) and a keyboard way to do each, forms to add,
//! edit and delete, and SVG/PNG export.

use super::Ctx;
use crate::{
    i18n::*,
    model::{
        ItemId,
        diagnosis::{
            Actor, ActorCategory, Diagnosis, Level, Tie, TieKind, analysis::network::Metrics, doc,
            layout::Layout,
        },
        record,
    },
    ui::labels,
};
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const WIDTH: f64 = 1000.0;
const HEIGHT: f64 = 700.0;

/// Colour of a category (shared with the power–interest grid).
pub fn category_colour(c: ActorCategory) -> &'static str {
    match c {
        ActorCategory::CivilSociety => "#2f6b4f",
        ActorCategory::ElectedOfficial => "#b4572e",
        ActorCategory::Administration => "#2b5c8a",
        ActorCategory::EconomicPlayer => "#a07a12",
        ActorCategory::Other => "#6b5b7b",
    }
}

/// Stroke colour, dash pattern and arrow of a tie kind.
fn tie_style(k: TieKind) -> (&'static str, &'static str) {
    match k {
        TieKind::Alliance => ("#2f6b4f", ""),
        TieKind::Conflict => ("#c0392b", "8 5"),
        TieKind::Influence => ("#4a5a60", ""),
        TieKind::Dependency => ("#7a4a8a", "2 4"),
        TieKind::Information => ("#2b5c8a", "10 4 2 4"),
        TieKind::Funding => ("#a07a12", ""),
    }
}

/// The node's outline, centred on 0,0, by category: circle, square, diamond, triangle, hexagon.
fn shape(c: ActorCategory, r: f64) -> String {
    let p = |pts: &[(f64, f64)]| {
        let mut d = String::new();
        for (i, (x, y)) in pts.iter().enumerate() {
            d.push_str(&format!(
                "{}{:.1},{:.1} ",
                if i == 0 { "M" } else { "L" },
                x * r,
                y * r
            ));
        }
        d.push('Z');
        d
    };
    match c {
        ActorCategory::CivilSociety => {
            format!(
                "M{:.1},0 A{r:.1},{r:.1} 0 1,0 {:.1},0 A{r:.1},{r:.1} 0 1,0 {:.1},0 Z",
                -r, r, -r
            )
        }
        ActorCategory::ElectedOfficial => {
            p(&[(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)])
        }
        ActorCategory::Administration => p(&[(0.0, -1.15), (1.15, 0.0), (0.0, 1.15), (-1.15, 0.0)]),
        ActorCategory::EconomicPlayer => p(&[(0.0, -1.15), (1.05, 0.85), (-1.05, 0.85)]),
        ActorCategory::Other => p(&[
            (1.0, 0.0),
            (0.5, 0.87),
            (-0.5, 0.87),
            (-1.0, 0.0),
            (-0.5, -0.87),
            (0.5, -0.87),
        ]),
    }
}

/// A node's label: long names are cut (the full name is in the node's accessible name).
fn short_name(name: &str) -> String {
    const MAX: usize = 26;
    if name.chars().count() <= MAX {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn radius(a: &Actor) -> f64 {
    9.0 + 2.5 * f64::from(a.influence)
}

#[derive(Clone, Debug, PartialEq)]
enum Selection {
    None,
    Actor(ItemId),
    Tie(ItemId),
    NewActor,
    NewTie {
        from: Option<ItemId>,
        to: Option<ItemId>,
    },
}

#[component]
pub fn Sociogram() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<Ctx>();
    let live = ctx.live;
    let data = ctx.data;

    let selection = RwSignal::new(Selection::None);
    // Drawing a tie by hand: the actor it starts from.
    let connecting: RwSignal<Option<ItemId>> = RwSignal::new(None);
    let hidden_categories: RwSignal<BTreeSet<ActorCategory>> = RwSignal::new(BTreeSet::new());
    let hidden_kinds: RwSignal<BTreeSet<TieKind>> = RwSignal::new(BTreeSet::new());
    let zoom = RwSignal::new(1.0f64);
    // Names of minor actors show on hover, focus, when zoomed in, or on request.
    let all_names = RwSignal::new(false);
    let pan = RwSignal::new((0.0f64, 0.0f64));
    // A node being dragged: its id and where it is now (not yet written).
    let dragging: RwSignal<Option<(ItemId, f64, f64)>> = RwSignal::new(None);

    let positions: RwSignal<BTreeMap<ItemId, (f64, f64)>> = RwSignal::new(BTreeMap::new());
    let layout: StoredValue<Option<Layout>> = StoredValue::new(None);
    let metrics = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref()
                .map(|d| crate::local::timing::measure("terrain:metrics", || Metrics::compute(d)))
        })
    });

    // Re-run the layout whenever the diagnosis changes, animating until it settles.
    let animate = move || {
        #[cfg(feature = "hydrate")]
        {
            fn frame(
                data: Memo<Option<Diagnosis>>,
                layout: StoredValue<Option<Layout>>,
                positions: RwSignal<BTreeMap<ItemId, (f64, f64)>>,
            ) {
                let settled = data.with_untracked(|d| {
                    let Some(d) = d else { return true };
                    layout
                        .try_update_value(|l| {
                            let l = l.get_or_insert_with(|| Layout::new(d, WIDTH, HEIGHT));
                            let n = d.actors.len().max(1);
                            // About a frame's worth of work: fewer steps for bigger graphs.
                            for _ in 0..(2000 / n).clamp(1, 20) {
                                crate::local::timing::measure("terrain:layout-step", || l.step(d));
                            }
                            positions.set(l.positions().clone());
                            l.is_settled()
                        })
                        .unwrap_or(true)
                });
                if !settled {
                    request_animation_frame(move || frame(data, layout, positions));
                }
            }
            frame(data, layout, positions);
        }
    };
    Effect::new(move |_| {
        data.track();
        animate();
    });

    let visible_actor = move |d: &Diagnosis, id: &ItemId| {
        d.actors
            .get(id)
            .is_some_and(|a| !a.deleted && !hidden_categories.with(|h| h.contains(&a.category)))
    };

    let node_at = move |id: &ItemId| -> Option<(f64, f64)> {
        if let Some((drag, x, y)) = dragging.get()
            && drag == *id
        {
            return Some((x, y));
        }
        positions.with(|p| p.get(id).copied())
    };

    let transform = move || {
        let (x, y) = pan.get();
        format!("translate({x:.1} {y:.1}) scale({:.3})", zoom.get())
    };

    let svg_ref = NodeRef::<leptos::svg::Svg>::new();

    // Screen → graph coordinates.
    let to_graph = move |client_x: f64, client_y: f64| -> Option<(f64, f64)> {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let svg: web_sys::SvgsvgElement = svg_ref.get()?.unchecked_into();
            let ctm = svg.get_screen_ctm()?.inverse().ok()?;
            let pt = svg.create_svg_point();
            pt.set_x(client_x as f32);
            pt.set_y(client_y as f32);
            let p = pt.matrix_transform(&ctm);
            let (px, py) = pan.get_untracked();
            let z = zoom.get_untracked();
            Some(((f64::from(p.x()) - px) / z, (f64::from(p.y()) - py) / z))
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (client_x, client_y, svg_ref);
            None
        }
    };

    let pin = move |id: ItemId, x: f64, y: f64| {
        let Some(mut actor) =
            data.with_untracked(|d| d.as_ref().and_then(|d| d.actors.get(&id).cloned()))
        else {
            return;
        };
        actor.pinned = Some(((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0));
        live.edit(move |doc| record::put(doc, &id, &actor).map(|_| ()));
    };

    // Panning the background.
    let panning: RwSignal<Option<(f64, f64, f64, f64)>> = RwSignal::new(None);

    let select_actor = move |id: ItemId| {
        if let Some(from) = connecting.get_untracked() {
            connecting.set(None);
            if from != id {
                selection.set(Selection::NewTie {
                    from: Some(from),
                    to: Some(id),
                });
                live.editing(None);
            }
            return;
        }
        live.editing(Some(format!("actors/{id}")));
        selection.set(Selection::Actor(id));
    };

    let on_node_key = move |id: ItemId, e: leptos::ev::KeyboardEvent| {
        let step = if e.shift_key() { 40.0 } else { 10.0 };
        let delta = match e.key().as_str() {
            "Enter" | " " => {
                e.prevent_default();
                select_actor(id);
                return;
            }
            "Escape" => {
                connecting.set(None);
                selection.set(Selection::None);
                return;
            }
            "ArrowLeft" => (-step, 0.0),
            "ArrowRight" => (step, 0.0),
            "ArrowUp" => (0.0, -step),
            "ArrowDown" => (0.0, step),
            _ => return,
        };
        if !live.can_write {
            return;
        }
        e.prevent_default();
        if let Some((x, y)) = positions.with_untracked(|p| p.get(&id).copied()) {
            let (nx, ny) = (x + delta.0, y + delta.1);
            positions.update(|p| {
                p.insert(id.clone(), (nx, ny));
            });
            pin(id, nx, ny);
        }
    };

    let graph = move || {
        let Some(d) = data.get() else {
            return view! { <text x="500" y="350" text-anchor="middle" class="placeholder">{t!(i18n, sync.loading)}</text> }.into_any();
        };
        let m = metrics.get();
        let brokers: BTreeSet<ItemId> = m
            .as_ref()
            .map(|m| m.brokers.iter().cloned().collect())
            .unwrap_or_default();
        let isolated: BTreeSet<ItemId> = m
            .as_ref()
            .map(|m| m.isolated.iter().cloned().collect())
            .unwrap_or_default();
        let sel = selection.get();
        let ties = d
            .live_ties()
            .filter(|(_, t)| {
                !hidden_kinds.with(|h| h.contains(&t.kind)) && visible_actor(&d, &t.from) && visible_actor(&d, &t.to)
            })
            .filter_map(|(id, t)| {
                let (x1, y1) = node_at(&t.from)?;
                let (x2, y2) = node_at(&t.to)?;
                let (colour, dash) = tie_style(t.kind);
                let selected = sel == Selection::Tie(id.clone());
                // Stop the line at the target's rim so the arrow shows.
                let r2 = d.actors.get(&t.to).map_or(12.0, radius) + 3.0;
                let (dx, dy) = (x2 - x1, y2 - y1);
                let len = (dx * dx + dy * dy).sqrt().max(1.0);
                let (ex, ey) = if t.directed { (x2 - dx / len * r2, y2 - dy / len * r2) } else { (x2, y2) };
                let id2 = id.clone();
                let label = format!(
                    "{} : {} → {}",
                    labels::tie_kind(i18n, t.kind),
                    d.actors.get(&t.from).map(|a| a.name.clone()).unwrap_or_default(),
                    d.actors.get(&t.to).map(|a| a.name.clone()).unwrap_or_default()
                );
                Some(view! {
                    <g class="tie" class:selected=selected data-tie=id.0.clone() data-kind=t.kind.as_str()>
                        <title>{label}</title>
                        <line class="hit" x1=x1 y1=y1 x2=x2 y2=y2 on:click=move |_| {
                            live.editing(Some(format!("ties/{id2}")));
                            selection.set(Selection::Tie(id2.clone()));
                        } />
                        <line
                            x1=x1 y1=y1 x2=ex y2=ey
                            stroke=colour
                            stroke-dasharray=dash
                            stroke-width=0.8 + 0.6 * f64::from(t.strength)
                            marker-end=t.directed.then(|| format!("url(#arrow-{})", t.kind.as_str()))
                        />
                    </g>
                })
            })
            .collect_view();
        let nodes = d
            .live_actors()
            .filter(|(id, _)| visible_actor(&d, id))
            .filter_map(|(id, a)| {
                let (x, y) = node_at(id)?;
                let r = radius(a);
                let selected = sel == Selection::Actor(id.clone());
                let is_from = connecting.get().as_ref() == Some(id);
                let minor = a.influence < 4
                    && !brokers.contains(id)
                    && !selected
                    && !all_names.get()
                    && zoom.get() < 1.6;
                let editors = live.editors_of(&format!("actors/{id}"));
                let (id_click, id_key, id_down) = (id.clone(), id.clone(), id.clone());
                let aria = format!(
                    "{} — {}{}",
                    a.name,
                    labels::category(i18n, a.category),
                    if brokers.contains(id) { " ★" } else { "" }
                );
                Some(view! {
                    <g
                        class="actor"
                        class:selected=selected
                        class:broker=brokers.contains(id)
                        class:isolated=isolated.contains(id)
                        class:connecting=is_from
                        class:pinned=a.pinned.is_some()
                        class:minor=minor
                        transform=format!("translate({x:.1} {y:.1})")
                        tabindex="0"
                        role="button"
                        aria-label=aria
                        data-actor=id.0.clone()
                        on:click=move |_| select_actor(id_click.clone())
                        on:keydown=move |e| on_node_key(id_key.clone(), e)
                        on:pointerdown=move |e: leptos::ev::PointerEvent| {
                            if !live.can_write || connecting.get_untracked().is_some() {
                                return;
                            }
                            e.stop_propagation();
                            if let Some((gx, gy)) = to_graph(f64::from(e.client_x()), f64::from(e.client_y())) {
                                let _ = (gx, gy);
                                if let Some((x, y)) = positions.with_untracked(|p| p.get(&id_down).copied()) {
                                    dragging.set(Some((id_down.clone(), x, y)));
                                }
                            }
                        }
                    >
                        {(brokers.contains(id) || isolated.contains(id)).then(|| view! { <circle class="halo" r=r + 6.0 /> })}
                        <path d=shape(a.category, r) fill=category_colour(a.category) class="node" />
                        <text class="label" y=r + 14.0 text-anchor="middle">{short_name(&a.name)}</text>
                        {editors.first().map(|p| {
                            view! {
                                <g class="editor-mark" transform=format!("translate({:.1} {:.1})", r * 0.8, -r * 0.8)>
                                    <circle r="9" style=format!("--hue: {}", p.hue()) />
                                    <text text-anchor="middle" dy="3.5">{p.initials()}</text>
                                </g>
                            }
                        })}
                    </g>
                })
            })
            .collect_view();
        view! {
            <g class="ties">{ties}</g>
            <g class="actors">{nodes}</g>
        }
        .into_any()
    };

    let on_pointer_move = move |e: leptos::ev::PointerEvent| {
        if dragging.with_untracked(Option::is_some) {
            if let Some((gx, gy)) = to_graph(f64::from(e.client_x()), f64::from(e.client_y()))
                && let Some((id, _, _)) = dragging.get_untracked()
            {
                dragging.set(Some((id, gx, gy)));
            }
        } else if let Some((sx, sy, px, py)) = panning.get_untracked() {
            // Pan in view-box units.
            if let (Some(a), Some(b)) = (
                to_graph(sx, sy),
                to_graph(f64::from(e.client_x()), f64::from(e.client_y())),
            ) {
                let z = zoom.get_untracked();
                let (ox, oy) = pan.get_untracked();
                let _ = (ox, oy);
                pan.set((px + (b.0 - a.0) * z, py + (b.1 - a.1) * z));
                panning.set(Some((
                    f64::from(e.client_x()),
                    f64::from(e.client_y()),
                    px + (b.0 - a.0) * z,
                    py + (b.1 - a.1) * z,
                )));
            }
        }
    };
    let on_pointer_up = move |_e: leptos::ev::PointerEvent| {
        panning.set(None);
        if let Some((id, x, y)) = dragging.get_untracked() {
            dragging.set(None);
            let moved = positions.with_untracked(|p| {
                p.get(&id)
                    .is_none_or(|(ox, oy)| (ox - x).abs() > 2.0 || (oy - y).abs() > 2.0)
            });
            if moved {
                positions.update(|p| {
                    p.insert(id.clone(), (x, y));
                });
                pin(id, x, y);
            }
        }
    };
    let on_background_down = move |e: leptos::ev::PointerEvent| {
        panning.set(Some((
            f64::from(e.client_x()),
            f64::from(e.client_y()),
            pan.get_untracked().0,
            pan.get_untracked().1,
        )));
    };
    let on_wheel = move |e: leptos::ev::WheelEvent| {
        if !e.ctrl_key() {
            return;
        }
        e.prevent_default();
        let factor = if e.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 };
        zoom.update(|z| *z = (*z * factor).clamp(0.3, 5.0));
    };
    let zoom_by = move |factor: f64| {
        // Zoom about the centre of the view.
        let old = zoom.get_untracked();
        let new = (old * factor).clamp(0.3, 5.0);
        let (px, py) = pan.get_untracked();
        let (cx, cy) = (WIDTH / 2.0, HEIGHT / 2.0);
        pan.set((cx - (cx - px) * new / old, cy - (cy - py) * new / old));
        zoom.set(new);
    };

    let counts = move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| (d.live_actors().count(), d.live_ties().count()))
                .unwrap_or((0, 0))
        })
    };

    view! {
        <div class="sociogram">
            <div class="graph-area">
                <div class="toolbar" role="toolbar" aria-label=move || t_string!(i18n, diagnosis.tab_sociogram)>
                    <button type="button" class="button small secondary" on:click=move |_| zoom_by(1.25) aria-label=move || t_string!(i18n, diagnosis.zoom_in)>"+"</button>
                    <button type="button" class="button small secondary" on:click=move |_| zoom_by(0.8) aria-label=move || t_string!(i18n, diagnosis.zoom_out)>"−"</button>
                    <button type="button" class="button small secondary" on:click=move |_| { zoom.set(1.0); pan.set((0.0, 0.0)); }>{t!(i18n, diagnosis.reset_view)}</button>
                    <button type="button" class="button small secondary" on:click=move |_| {
                        layout.update_value(|l| if let Some(l) = l { l.reheat() });
                        animate();
                    }>{t!(i18n, diagnosis.relayout)}</button>
                    <button type="button" class="button small secondary" on:click=move |_| export(svg_ref, false)>{t!(i18n, diagnosis.export_svg)}</button>
                    <button type="button" class="button small secondary" on:click=move |_| export(svg_ref, true)>{t!(i18n, diagnosis.export_png)}</button>
                    {live.can_write.then(|| view! {
                        <button type="button" class="button small" data-add-actor on:click=move |_| { live.editing(None); selection.set(Selection::NewActor); }>
                            {t!(i18n, diagnosis.add_actor)}
                        </button>
                        <button type="button" class="button small" data-add-tie on:click=move |_| { live.editing(None); selection.set(Selection::NewTie { from: None, to: None }); }>
                            {t!(i18n, diagnosis.add_tie)}
                        </button>
                    })}
                </div>
                {move || connecting.get().map(|_| view! { <p class="notice" role="status">{t!(i18n, diagnosis.draw_tie_hint)}</p> })}
                <svg
                    node_ref=svg_ref
                    class="graph"
                    viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                    xmlns="http://www.w3.org/2000/svg"
                    role="group"
                    aria-label=move || {
                        let (a, t) = counts();
                        t_string!(i18n, diagnosis.graph_label, actors = a, ties = t).to_string()
                    }
                    on:pointermove=on_pointer_move
                    on:pointerup=on_pointer_up
                    on:pointerleave=on_pointer_up
                    on:wheel=on_wheel
                >
                    <defs>
                        {TieKind::ALL
                            .iter()
                            .map(|k| {
                                let (colour, _) = tie_style(*k);
                                view! {
                                    <marker id=format!("arrow-{}", k.as_str()) viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                                        <path d="M 0 0 L 10 5 L 0 10 z" fill=colour />
                                    </marker>
                                }
                            })
                            .collect_view()}
                    </defs>
                    <rect class="background" width=WIDTH height=HEIGHT on:pointerdown=on_background_down on:click=move |_| {
                        if connecting.get_untracked().is_none() {
                            selection.set(Selection::None);
                            live.editing(None);
                        }
                    } />
                    <g transform=transform>{graph}</g>
                </svg>
                <Filters hidden_categories=hidden_categories hidden_kinds=hidden_kinds all_names=all_names />
            </div>
            <aside class="side-panel card" aria-live="polite">
                {move || match selection.get() {
                    Selection::None => view! { <p class="hint">{t!(i18n, diagnosis.none_selected)}</p> }.into_any(),
                    Selection::Actor(id) => view! { <ActorForm id=Some(id) selection=selection connecting=connecting /> }.into_any(),
                    Selection::NewActor => view! { <ActorForm id=None selection=selection connecting=connecting /> }.into_any(),
                    Selection::Tie(id) => view! { <TieForm id=Some(id) from=None to=None selection=selection /> }.into_any(),
                    Selection::NewTie { from, to } => view! { <TieForm id=None from=from to=to selection=selection /> }.into_any(),
                }}
            </aside>
        </div>
        <ActorList selection=selection />
    }
}

#[component]
fn Filters(
    hidden_categories: RwSignal<BTreeSet<ActorCategory>>,
    hidden_kinds: RwSignal<BTreeSet<TieKind>>,
    all_names: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="check all-names">
            <input type="checkbox" prop:checked=move || all_names.get() on:change=move |e| all_names.set(event_target_checked(&e)) />
            {t!(i18n, diagnosis.all_names)}
        </label>
        <details class="filters">
            <summary>{t!(i18n, diagnosis.filters)}</summary>
            <fieldset>
                <legend>{t!(i18n, diagnosis.category)}</legend>
                {ActorCategory::ALL
                    .iter()
                    .map(|c| {
                        let c = *c;
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || !hidden_categories.with(|h| h.contains(&c))
                                    on:change=move |_| hidden_categories.update(|h| if !h.remove(&c) { h.insert(c); })
                                />
                                <svg class="swatch" viewBox="-14 -14 28 28" aria-hidden="true"><path d=shape(c, 10.0) fill=category_colour(c) /></svg>
                                {move || labels::category(i18n, c)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, diagnosis.tie_kind)}</legend>
                {TieKind::ALL
                    .iter()
                    .map(|k| {
                        let k = *k;
                        let (colour, dash) = tie_style(k);
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || !hidden_kinds.with(|h| h.contains(&k))
                                    on:change=move |_| hidden_kinds.update(|h| if !h.remove(&k) { h.insert(k); })
                                />
                                <svg class="swatch" viewBox="0 0 30 10" aria-hidden="true"><line x1="0" y1="5" x2="30" y2="5" stroke=colour stroke-width="2.5" stroke-dasharray=dash /></svg>
                                {move || labels::tie_kind(i18n, k)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </details>
    }
}

/// Every actor as a list: another way in on a phone or with a screen reader.
#[component]
fn ActorList(selection: RwSignal<Selection>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<Ctx>();
    view! {
        <section class="actor-list">
            <h2>{t!(i18n, diagnosis.actors)}</h2>
            {move || {
                let Some(d) = ctx.data.get() else { return view! { <p>{t!(i18n, sync.loading)}</p> }.into_any() };
                if d.live_actors().next().is_none() {
                    return view! { <p>{t!(i18n, diagnosis.empty)}</p> }.into_any();
                }
                let mut actors: Vec<(ItemId, Actor)> = d.live_actors().map(|(i, a)| (i.clone(), a.clone())).collect();
                actors.sort_by(|a, b| a.1.category.cmp(&b.1.category).then_with(|| a.1.name.cmp(&b.1.name)));
                view! {
                    <ul class="chips">
                        {actors
                            .into_iter()
                            .map(|(id, a)| {
                                let id2 = id.clone();
                                view! {
                                    <li>
                                        <button type="button" class="chip" data-actor-chip=id.0.clone() on:click=move |_| {
                                            ctx.live.editing(Some(format!("actors/{id2}")));
                                            selection.set(Selection::Actor(id2.clone()));
                                        }>
                                            <span class="dot" style=format!("background: {}", category_colour(a.category)) aria-hidden="true"></span>
                                            <span dir="auto">{a.name.clone()}</span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

fn scale_select(value: RwSignal<u8>, name: &'static str, disabled: bool) -> impl IntoView {
    view! {
        <select name=name disabled=disabled on:change=move |e| value.set(event_target_value(&e).parse().unwrap_or(3))>
            {(1u8..=5)
                .map(|v| view! { <option value=v.to_string() selected=move || value.get() == v>{v}</option> })
                .collect_view()}
        </select>
    }
}

/// Adds or edits an actor.
#[component]
fn ActorForm(
    id: Option<ItemId>,
    selection: RwSignal<Selection>,
    connecting: RwSignal<Option<ItemId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<Ctx>();
    let live = ctx.live;
    let ro = !live.can_write;
    let initial = id
        .as_ref()
        .and_then(|id| {
            ctx.data
                .with_untracked(|d| d.as_ref().and_then(|d| d.actors.get(id).cloned()))
        })
        .unwrap_or_default();
    let name = RwSignal::new(initial.name.clone());
    let category = RwSignal::new(initial.category);
    let organisation = RwSignal::new(initial.organisation.clone());
    let level = RwSignal::new(initial.level);
    let influence = RwSignal::new(initial.influence);
    let interest = RwSignal::new(initial.interest);
    let notes = RwSignal::new(initial.notes.clone());
    let location = RwSignal::new(initial.location.clone());
    let editing_id = id.clone();
    let others = move || {
        editing_id
            .as_ref()
            .map(|id| live.editors_of(&format!("actors/{id}")))
            .unwrap_or_default()
    };
    let id_for_save = id.clone();
    let save = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        if name.get_untracked().trim().is_empty() {
            return;
        }
        // Start from the current item so fields this form does not show (position, deletion)
        // are kept as they are now.
        let current = id_for_save
            .as_ref()
            .and_then(|id| {
                ctx.data
                    .with_untracked(|d| d.as_ref().and_then(|d| d.actors.get(id).cloned()))
            })
            .unwrap_or_default();
        let actor = Actor {
            name: name.get_untracked().trim().to_owned(),
            category: category.get_untracked(),
            organisation: organisation.get_untracked().trim().to_owned(),
            level: level.get_untracked(),
            influence: influence.get_untracked(),
            interest: interest.get_untracked(),
            notes: notes.get_untracked(),
            location: location.get_untracked().trim().to_owned(),
            ..current
        };
        let item = id_for_save.clone().unwrap_or_else(ItemId::random);
        let item2 = item.clone();
        live.edit(move |doc| record::put(doc, &item2, &actor).map(|_| ()));
        live.editing(Some(format!("actors/{item}")));
        selection.set(Selection::Actor(item));
    };
    let id_delete = id.clone();
    let id_tie = id.clone();
    let id_unpin = id.clone();
    let ties_of = id
        .clone()
        .map(|id| view! { <TiesOf id=id selection=selection /> });
    view! {
        <form class="form actor-form" on:submit=save data-actor-form>
            <h2>{if id.is_some() { t!(i18n, diagnosis.edit_actor).into_any() } else { t!(i18n, diagnosis.add_actor).into_any() }}</h2>
            {move || {
                others()
                    .into_iter()
                    .map(|p| view! {
                        <p class="also-editing" style=format!("--hue: {}", p.hue())>
                            <span class="avatar small">{p.initials()}</span>
                            {t_string!(i18n, sync.editing, name = p.name.clone(), item = name.get()).to_string()}
                        </p>
                    })
                    .collect_view()
            }}
            <label>
                <span>{t!(i18n, diagnosis.name)}</span>
                <input type="text" name="name" required maxlength="200" dir="auto" disabled=ro prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) />
            </label>
            <label>
                <span>{t!(i18n, diagnosis.category)}</span>
                <select name="category" disabled=ro on:change=move |e| category.set(ActorCategory::parse(&event_target_value(&e)).unwrap_or(ActorCategory::Other))>
                    {ActorCategory::ALL.iter().map(|c| { let c = *c; view! { <option value=c.as_str() selected=move || category.get() == c>{labels::category(i18n, c)}</option> } }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t!(i18n, diagnosis.organisation)}</span>
                <input type="text" name="organisation" maxlength="200" dir="auto" disabled=ro prop:value=move || organisation.get() on:input=move |e| organisation.set(event_target_value(&e)) />
            </label>
            <label>
                <span>{t!(i18n, diagnosis.level)}</span>
                <select name="level" disabled=ro on:change=move |e| level.set(Level::parse(&event_target_value(&e)).unwrap_or(Level::Commune))>
                    {Level::ALL.iter().map(|l| { let l = *l; view! { <option value=l.as_str() selected=move || level.get() == l>{labels::actor_level(i18n, l)}</option> } }).collect_view()}
                </select>
            </label>
            <div class="row">
                <label><span>{t!(i18n, diagnosis.influence)}</span>{scale_select(influence, "influence", ro)}</label>
                <label><span>{t!(i18n, diagnosis.interest)}</span>{scale_select(interest, "interest", ro)}</label>
            </div>
            <label>
                <span>{t!(i18n, diagnosis.location)}</span>
                <input type="text" name="location" maxlength="200" dir="auto" disabled=ro prop:value=move || location.get() on:input=move |e| location.set(event_target_value(&e)) />
            </label>
            <label>
                <span>{t!(i18n, diagnosis.notes)}</span>
                <textarea name="notes" rows="3" dir="auto" disabled=ro prop:value=move || notes.get() on:input=move |e| notes.set(event_target_value(&e))></textarea>
            </label>
            {(!ro).then(|| view! {
                <div class="buttons">
                    <button type="submit" class="button">{t!(i18n, diagnosis.save)}</button>
                    {id_tie.clone().map(|id| view! {
                        <button type="button" class="button secondary" data-draw-tie on:click=move |_| connecting.set(Some(id.clone()))>
                            {t!(i18n, diagnosis.draw_tie)}
                        </button>
                    })}
                    {id_unpin.clone().map(|id| view! {
                        <button type="button" class="button secondary" on:click=move |_| {
                            let id = id.clone();
                            if let Some(mut a) = ctx.data.with_untracked(|d| d.as_ref().and_then(|d| d.actors.get(&id).cloned())) {
                                a.pinned = None;
                                live.edit(move |doc| record::put(doc, &id, &a).map(|_| ()));
                            }
                        }>{t!(i18n, diagnosis.unpin)}</button>
                    })}
                    {id_delete.clone().map(|id| view! {
                        <button type="button" class="button danger" data-delete on:click=move |_| {
                            let id = id.clone();
                            live.edit(move |doc| doc::delete(doc, "actors", &id));
                            live.editing(None);
                            selection.set(Selection::None);
                        }>{t!(i18n, diagnosis.delete)}</button>
                    })}
                    <button type="button" class="button secondary" on:click=move |_| { live.editing(None); selection.set(Selection::None); }>
                        {t!(i18n, diagnosis.cancel)}
                    </button>
                </div>
            })}
        </form>
        {ties_of}
    }
}

/// The ties of one actor, each selectable.
#[component]
fn TiesOf(id: ItemId, selection: RwSignal<Selection>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<Ctx>();
    move || {
        let d = ctx.data.get()?;
        let items: Vec<_> = d
            .live_ties()
            .filter(|(_, t)| t.from == id || t.to == id)
            .map(|(tid, t)| {
                let other = if t.from == id { &t.to } else { &t.from };
                let name = d.actors.get(other).map(|a| a.name.clone()).unwrap_or_default();
                let arrow = if !t.directed { "—" } else if t.from == id { "→" } else { "←" };
                let tid = tid.clone();
                let kind = t.kind;
                view! {
                    <li>
                        <button type="button" class="link" on:click=move |_| {
                            ctx.live.editing(Some(format!("ties/{tid}")));
                            selection.set(Selection::Tie(tid.clone()));
                        }>
                            {labels::tie_kind(i18n, kind)} " " {arrow} " " <span dir="auto">{name}</span>
                        </button>
                    </li>
                }
            })
            .collect();
        (!items.is_empty()).then(|| {
            view! {
                <h3>{t!(i18n, diagnosis.ties_of)}</h3>
                <ul class="ties-of">{items}</ul>
            }
        })
    }
}

/// Adds or edits a tie: the keyboard way to draw one.
#[component]
fn TieForm(
    id: Option<ItemId>,
    from: Option<ItemId>,
    to: Option<ItemId>,
    selection: RwSignal<Selection>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<Ctx>();
    let live = ctx.live;
    let ro = !live.can_write;
    let initial = id.as_ref().and_then(|id| {
        ctx.data
            .with_untracked(|d| d.as_ref().and_then(|d| d.ties.get(id).cloned()))
    });
    let recorded_by = initial
        .as_ref()
        .map(|t| t.recorded_by.clone())
        .unwrap_or_default();
    let from = RwSignal::new(initial.as_ref().map(|t| t.from.clone()).or(from));
    let to = RwSignal::new(initial.as_ref().map(|t| t.to.clone()).or(to));
    let kind = RwSignal::new(initial.as_ref().map_or(TieKind::Alliance, |t| t.kind));
    let directed = RwSignal::new(initial.as_ref().is_some_and(|t| t.directed));
    let strength = RwSignal::new(initial.as_ref().map_or(3, |t| t.strength));
    let since = RwSignal::new(
        initial
            .as_ref()
            .map(|t| t.since.clone())
            .unwrap_or_default(),
    );
    let actors = move || {
        ctx.data.with(|d| {
            let mut v: Vec<(ItemId, String)> = d
                .as_ref()
                .map(|d| {
                    d.live_actors()
                        .map(|(i, a)| (i.clone(), a.name.clone()))
                        .collect()
                })
                .unwrap_or_default();
            v.sort_by(|a, b| a.1.cmp(&b.1));
            v
        })
    };
    let me = ctx.me;
    let id_save = id.clone();
    let save = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let (Some(f), Some(t)) = (from.get_untracked(), to.get_untracked()) else {
            return;
        };
        if f == t {
            return;
        }
        let current = id_save.as_ref().and_then(|id| {
            ctx.data
                .with_untracked(|d| d.as_ref().and_then(|d| d.ties.get(id).cloned()))
        });
        let tie = Tie {
            from: f,
            to: t,
            kind: kind.get_untracked(),
            directed: directed.get_untracked(),
            strength: strength.get_untracked(),
            since: since.get_untracked().trim().to_owned(),
            recorded_by: current
                .as_ref()
                .map(|c| c.recorded_by.clone())
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| me.get_value()),
            deleted: current.is_some_and(|c| c.deleted),
        };
        let item = id_save.clone().unwrap_or_else(ItemId::random);
        let item2 = item.clone();
        live.edit(move |doc| record::put(doc, &item2, &tie).map(|_| ()));
        live.editing(Some(format!("ties/{item}")));
        selection.set(Selection::Tie(item));
    };
    let actor_select = move |value: RwSignal<Option<ItemId>>, name: &'static str| {
        view! {
            <select name=name required disabled=ro on:change=move |e| {
                let v = event_target_value(&e);
                value.set((!v.is_empty()).then_some(ItemId(v)));
            }>
                <option value="" selected=move || value.get().is_none()>"—"</option>
                {move || actors()
                    .into_iter()
                    .map(|(i, n)| {
                        let i2 = i.clone();
                        view! { <option value=i.0.clone() selected=move || value.get().as_ref() == Some(&i2)>{n}</option> }
                    })
                    .collect_view()}
            </select>
        }
    };
    let id_delete = id.clone();
    view! {
        <form class="form tie-form" on:submit=save data-tie-form>
            <h2>{if id.is_some() { t!(i18n, diagnosis.edit_tie).into_any() } else { t!(i18n, diagnosis.add_tie).into_any() }}</h2>
            <label><span>{t!(i18n, diagnosis.from)}</span>{actor_select(from, "from")}</label>
            <label><span>{t!(i18n, diagnosis.to)}</span>{actor_select(to, "to")}</label>
            <label>
                <span>{t!(i18n, diagnosis.tie_kind)}</span>
                <select name="kind" disabled=ro on:change=move |e| {
                    let k = TieKind::parse(&event_target_value(&e)).unwrap_or(TieKind::Alliance);
                    kind.set(k);
                    if matches!(k, TieKind::Influence | TieKind::Dependency | TieKind::Funding | TieKind::Information) {
                        directed.set(true);
                    }
                }>
                    {TieKind::ALL.iter().map(|k| { let k = *k; view! { <option value=k.as_str() selected=move || kind.get() == k>{labels::tie_kind(i18n, k)}</option> } }).collect_view()}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="directed" disabled=ro prop:checked=move || directed.get() on:change=move |e| directed.set(event_target_checked(&e)) />
                <span>{t!(i18n, diagnosis.directed)}</span>
            </label>
            <div class="row">
                <label><span>{t!(i18n, diagnosis.strength)}</span>{scale_select(strength, "strength", ro)}</label>
                <label>
                    <span>{t!(i18n, diagnosis.since)}</span>
                    <input type="text" name="since" maxlength="20" disabled=ro prop:value=move || since.get() on:input=move |e| since.set(event_target_value(&e)) />
                </label>
            </div>
            {(!recorded_by.is_empty()).then(|| view! { <p class="hint">{t_string!(i18n, diagnosis.recorded_by, name = recorded_by.clone()).to_string()}</p> })}
            {(!ro).then(|| view! {
                <div class="buttons">
                    <button type="submit" class="button">{t!(i18n, diagnosis.save)}</button>
                    {id_delete.clone().map(|id| view! {
                        <button type="button" class="button danger" data-delete on:click=move |_| {
                            let id = id.clone();
                            live.edit(move |doc| doc::delete(doc, "ties", &id));
                            live.editing(None);
                            selection.set(Selection::None);
                        }>{t!(i18n, diagnosis.delete)}</button>
                    })}
                    <button type="button" class="button secondary" on:click=move |_| { live.editing(None); selection.set(Selection::None); }>
                        {t!(i18n, diagnosis.cancel)}
                    </button>
                </div>
            })}
        </form>
    }
}

/// Downloads the graph as a standalone SVG file, or rendered to PNG at twice its size.
fn export(svg: NodeRef<leptos::svg::Svg>, png: bool) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{JsCast, closure::Closure};
        let Some(el) = svg.get_untracked() else {
            return;
        };
        let el: web_sys::Element = el.unchecked_into();
        // Inline the few styles the export needs, so it looks the same outside the page.
        let style = "<style>.background{fill:#fff}.hit{stroke:transparent}.label{font:12px system-ui,sans-serif;fill:#1d2a2f;paint-order:stroke;stroke:#fff;stroke-width:3px}.halo{fill:none;stroke:#b4572e;stroke-width:2}.isolated .halo{stroke-dasharray:3 3;stroke:#888}.editor-mark{display:none}.node{stroke:#fff;stroke-width:1.5}</style>";
        let markup = el.outer_html().replacen('>', &format!(">{style}"), 1);
        let download = |url: &str, name: &str| {
            if let Some(a) = document()
                .create_element("a")
                .ok()
                .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
            {
                a.set_href(url);
                a.set_download(name);
                a.click();
            }
        };
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&markup));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("image/svg+xml;charset=utf-8");
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        if !png {
            download(&url, "sociogramme.svg");
            let _ = web_sys::Url::revoke_object_url(&url);
            return;
        }
        let Ok(img) = web_sys::HtmlImageElement::new() else {
            return;
        };
        let img2 = img.clone();
        let url2 = url.clone();
        let onload = Closure::once_into_js(move || {
            let Some(canvas) = document()
                .create_element("canvas")
                .ok()
                .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
            else {
                return;
            };
            canvas.set_width((WIDTH * 2.0) as u32);
            canvas.set_height((HEIGHT * 2.0) as u32);
            if let Some(ctx) = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
            {
                let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(
                    &img2,
                    0.0,
                    0.0,
                    WIDTH * 2.0,
                    HEIGHT * 2.0,
                );
                if let Ok(data) = canvas.to_data_url_with_type("image/png") {
                    download(&data, "sociogramme.png");
                }
            }
            let _ = web_sys::Url::revoke_object_url(&url2);
        });
        img.set_onload(Some(onload.unchecked_ref()));
        img.set_src(&url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (svg, png);
}
