//! The home page: what Territorial Coaching is, its five steps and where each lives in Terrain.

use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page home">
            <div class="hero">
                <h1>{t!(i18n, home.title)}</h1>
                <p class="lead">{t!(i18n, home.lead)}</p>
                <p>{t!(i18n, home.terrain_does)}</p>
            </div>
            <h2 id="cycle">{t!(i18n, home.cycle_title)}</h2>
            <ol class="cycle">
                <Step
                    n=1
                    title=move || t_string!(i18n, step.diagnosis.title)
                    text=move || t_string!(i18n, step.diagnosis.text)
                    place=move || t_string!(i18n, step.diagnosis.place)
                />
                <Step
                    n=2
                    title=move || t_string!(i18n, step.groups.title)
                    text=move || t_string!(i18n, step.groups.text)
                    place=move || t_string!(i18n, step.groups.place)
                />
                <Step
                    n=3
                    title=move || t_string!(i18n, step.meetings.title)
                    text=move || t_string!(i18n, step.meetings.text)
                    place=move || t_string!(i18n, step.meetings.place)
                />
                <Step
                    n=4
                    title=move || t_string!(i18n, step.implementation.title)
                    text=move || t_string!(i18n, step.implementation.text)
                    place=move || t_string!(i18n, step.implementation.place)
                />
                <Step
                    n=5
                    title=move || t_string!(i18n, step.monitoring.title)
                    text=move || t_string!(i18n, step.monitoring.text)
                    place=move || t_string!(i18n, step.monitoring.place)
                />
            </ol>
            <div class="columns">
                <section>
                    <h2>{t!(i18n, home.who_title)}</h2>
                    <ul class="who">
                        <li>{t!(i18n, who.coach)}</li>
                        <li>{t!(i18n, who.field)}</li>
                        <li>{t!(i18n, who.manager)}</li>
                        <li>{t!(i18n, who.admin)}</li>
                    </ul>
                </section>
                <section>
                    <h2>{t!(i18n, home.offline_title)}</h2>
                    <p>{t!(i18n, home.offline_text)}</p>
                </section>
            </div>
        </section>
    }
}

#[component]
fn Step(
    n: u8,
    title: impl Fn() -> &'static str + Send + Sync + 'static,
    text: impl Fn() -> &'static str + Send + Sync + 'static,
    place: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <li class="step">
            <span class="step-number" aria-hidden="true">
                {n}
            </span>
            <h3>{title}</h3>
            <p>{text}</p>
            <p class="step-where">
                <strong>{t!(i18n, home.place)}</strong>
                " : "
                {place}
            </p>
        </li>
    }
}
