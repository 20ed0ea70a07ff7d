//! A realistic action plan for the demo commune of Bni Drar, answering the issues of
//! [`crate::model::diagnosis::demo::demo_diagnosis`]: three working groups, four strategic
//! orientations, about fifteen actions (some late, done, blocked or dropped as of late November
//! 2026) and indicators with yearly targets.
//!
//! Actors and issues are those of the demo diagnosis (`act-…`, `iss-…`); the plan's own items
//! are prefixed with `pa-` so no id is shared between the two documents. Figures are estimates.

use super::types::{
    Action, ActionPlan, ActionStatus, ActionStatus::*, GroupMember, Indicator, IssueLink,
    Orientation, Partner, Target, WorkingGroup,
};
use crate::model::ItemId;

type Str = &'static str;

const S: Str = "Salma Benali";
const Y: Str = "Youssef El Idrissi";

/// key (after `pa-grp-`), theme, coach, member actor keys (after `act-`).
type GroupRow = (Str, Str, Str, &'static [Str]);
/// number (after `pa-ori-`), group key, title.
type OrientationRow = (u8, Str, Str);
/// actor key, role, contribution.
type PartnerRow = (Str, Str, Str);
/// key (after `pa-act-`), orientation, title, lead, start, due, budget, committed, status,
/// progress, weight, risks, assumptions, partners, issue keys (after `iss-`).
type ActionRow = (
    Str,
    u8,
    Str,
    Str,
    Str,
    Str,
    f64,
    f64,
    ActionStatus,
    u8,
    f64,
    Str,
    Str,
    &'static [PartnerRow],
    &'static [Str],
);
/// A value and its date.
type Measure = Option<(f64, Str)>;
/// number (after `pa-ind-`), action key, orientation, name, unit, baseline, current,
/// verification, targets (period, value) lettered a, b, c.
type IndicatorRow = (
    u8,
    Option<Str>,
    Option<u8>,
    Str,
    Str,
    Measure,
    Measure,
    Str,
    &'static [(Str, f64)],
);

#[rustfmt::skip]
const GROUPS: &[GroupRow] = &[
    ("water", "Eau: nappe, irrigation et eau potable des douars", S, &["auea", "abhm", "onee", "serv-tech", "amal", "sidi-moussa"]),
    ("products", "Produits de terroir et emploi des jeunes", Y, &["coop-olive", "coop-miel", "coop-pam", "onca", "ado", "jeunes"]),
    ("governance", "Gouvernance et concertation", S, &["cons-femmes", "cons-opp", "dgs", "femmes", "handicap"]),
];

#[rustfmt::skip]
const ORIENTATIONS: &[OrientationRow] = &[
    (1, "water", "Sécuriser et partager durablement la ressource en eau"),
    (2, "products", "Valoriser l'huile d'olive, le miel et les plantes aromatiques"),
    (3, "products", "Ouvrir aux jeunes des emplois et des initiatives sur place"),
    (4, "governance", "Instituer une concertation permanente entre commune, État et société civile"),
];

#[rustfmt::skip]
const ACTIONS: &[ActionRow] = &[
    // 1. Water.
    ("meters", 1, "Installation de compteurs sur les forages autorisés du périmètre", "abhm", "2026-02-01", "2026-09-30", 850_000.0, 400_000.0, InProgress, 45, 2.0,
        "Refus de certains exploitants; vols ou dégradations de compteurs.", "Le recensement des forages est validé par l'AUEA et le caïdat.",
        &[("dpa", "financeur", "Subvention de 50 % des compteurs (Génération Green)."), ("auea", "appui technique", "Relevés mensuels par les aiguadiers.")], &["pumping", "water"]),
    ("census", 1, "Recensement contradictoire des forages et plan de régularisation", "abhm", "2026-01-15", "2026-06-30", 120_000.0, 120_000.0, Done, 100, 1.0,
        "Sous-déclaration par crainte de fermeture.", "Le caïd garantit l'absence de sanction pendant le recensement.",
        &[("caid", "appui institutionnel", "Convocation des propriétaires et médiation."), ("ump", "appui technique", "Cartographie SIG des forages.")], &["pumping"]),
    ("drip", 1, "Reconversion au goutte-à-goutte de 150 ha du périmètre de petite hydraulique", "dpa", "2026-09-01", "2028-06-30", 2_500_000.0, 900_000.0, InProgress, 15, 3.0,
        "Apport personnel des petits exploitants difficile à réunir.", "Les subventions Génération Green sont maintenues jusqu'en 2028.",
        &[("auea", "maître d'ouvrage délégué", "Mobilisation des irrigants et entretien des réseaux."), ("cam", "financeur", "Crédits de préfinancement des subventions."), ("onca", "appui technique", "Formation des exploitants au pilotage de l'irrigation.")], &["water", "land"]),
    ("fountain", 1, "Réservoir et bornes-fontaines pour les douars Ouled Ali et Sidi Moussa", "onee", "2026-03-01", "2027-06-30", 1_800_000.0, 300_000.0, Blocked, 10, 2.0,
        "Désaccord entre douars sur l'emplacement du réservoir; travaux suspendus.", "Un terrain collectif accepté par les deux douars est trouvé.",
        &[("president", "maître d'ouvrage", "Foncier, part communale de 30 %."), ("mre", "financeur", "Collecte de la diaspora pour les bornes-fontaines."), ("amal", "gestion", "Gestion des bornes et recouvrement.")], &["water", "services"]),
    ("awareness", 1, "حملة تحسيسية لترشيد استعمال الماء في المساجد والمدارس", "imam", "2026-03-01", "2026-05-31", 50_000.0, 50_000.0, Done, 100, 1.0,
        "Message perçu comme culpabilisant les petits usagers.", "Les écoles ouvrent leurs classes aux séances.",
        &[("dpe", "appui technique", "Séances dans les écoles et le collège."), ("abhm", "financeur", "Supports et affiches.")], &["water"]),
    // 2. Local products.
    ("onssa", 2, "Mise aux normes ONSSA de l'unité de trituration de la coopérative Zitoune", "coop-olive", "2026-02-01", "2026-10-31", 600_000.0, 450_000.0, InProgress, 70, 2.0,
        "Retard de livraison des équipements inox.", "La coopérative apporte 20 % en fonds propres.",
        &[("ado", "financeur", "Équipements et mise aux normes (60 %)."), ("onca", "appui technique", "Accompagnement du dossier d'agrément.")], &["value"]),
    ("label", 2, "Dossier de signe distinctif « Huile d'olive des Beni Snassen »", "chambre", "2026-06-01", "2027-12-31", 400_000.0, 150_000.0, InProgress, 20, 2.0,
        "Adhésion insuffisante des producteurs voisins.", "Les analyses prouvent la typicité de l'huile.",
        &[("ump", "appui technique", "Analyses physico-chimiques et étude de typicité."), ("coop-olive", "porteur associé", "Mobilisation des oléiculteurs.")], &["value"]),
    ("packaging", 2, "Atelier collectif de conditionnement et d'étiquetage (miel, huiles essentielles)", "coop-pam", "2026-04-01", "2027-03-31", 950_000.0, 600_000.0, InProgress, 35, 2.0,
        "Coûts d'emballage en hausse.", "Un local communal est mis à disposition.",
        &[("indh", "financeur", "Construction et équipement de l'atelier."), ("coop-miel", "co-utilisateur", "Volumes de miel à conditionner."), ("femmes", "appui à la gestion", "Formation des membres à la gestion.")], &["value", "women"]),
    ("fairs", 2, "Participation aux salons régionaux et boutique en ligne des coopératives", "ado", "2026-03-01", "2026-10-15", 180_000.0, 180_000.0, Done, 100, 1.0,
        "Ventes en ligne faibles sans photos ni logistique.", "Les coopératives désignent chacune un référent commercial.",
        &[("chambre", "appui technique", "Stands dans les salons de la Chambre.")], &["value"]),
    // 3. Youth employment.
    ("anapec", 3, "Permanence mensuelle ANAPEC et point d'information emploi à la commune", "anapec", "2026-03-01", "2026-09-30", 60_000.0, 0.0, Planned, 0, 1.0,
        "Aucun agent disponible à l'agence d'Oujda.", "La commune fournit un bureau et une connexion internet.",
        &[("dgs", "appui logistique", "Bureau et agent d'accueil communal.")], &["core"]),
    ("training", 3, "Formation qualifiante de 60 jeunes aux métiers de l'oléiculture et de l'irrigation", "onca", "2026-10-01", "2027-06-30", 700_000.0, 350_000.0, InProgress, 10, 2.0,
        "Abandons en cours de formation faute d'indemnité.", "Une bourse de transport est versée aux stagiaires.",
        &[("ado", "financeur", "Indemnités et kits des stagiaires."), ("investisseur", "appui technique", "Stages dans l'oliveraie intensive.")], &["core", "land"]),
    ("agr", 3, "Appel à projets INDH: 25 activités génératrices de revenus de jeunes et de femmes", "indh", "2026-05-01", "2027-12-31", 1_500_000.0, 700_000.0, InProgress, 30, 3.0,
        "Projets mal préparés, faible survie après un an.", "Les coachs accompagnent le montage des dossiers.",
        &[("alamana", "financeur", "Microcrédits complémentaires à taux bonifié."), ("femmes", "relais", "Repérage des porteuses de projets.")], &["core", "women"]),
    ("diaspora", 3, "Fonds d'amorçage avec les Marocains du monde pour les jeunes porteurs de projets", "mre", "2026-06-01", "2027-06-30", 500_000.0, 0.0, Dropped, 5, 1.0,
        "Cadre juridique du fonds non trouvé; abandonné au profit de l'appel INDH.", "La diaspora cotise chaque été.",
        &[("alamana", "gestionnaire pressenti", "Gestion des prêts d'honneur.")], &["core"]),
    ("youth-house", 3, "إعادة فتح دار الشباب وتسييرها بشراكة مع جمعيات الشباب", "president", "2026-01-15", "2026-08-31", 350_000.0, 200_000.0, InProgress, 60, 2.0,
        "Désaccord sur la convention de gestion avec l'association des jeunes.", "Le ministère de la Jeunesse affecte un animateur.",
        &[("jeunes", "co-gestionnaire", "Programme d'activités et animation."), ("mre", "financeur", "Équipement informatique de la salle.")], &["core", "gov"]),
    // 4. Governance.
    ("ieecag", 4, "Réunions trimestrielles de l'IEECAG élargie aux associations de douar", "cons-femmes", "2026-01-15", "2026-12-31", 50_000.0, 50_000.0, Done, 100, 1.0,
        "Participation qui s'essouffle après les premières séances.", "Le président reprend les avis de l'instance en conseil.",
        &[("femmes", "relais", "Mobilisation des femmes des douars."), ("handicap", "membre", "Représentation des personnes handicapées.")], &["gov", "women"]),
    ("water-committee", 4, "Comité local de l'eau: médiation entre l'AUEA et l'investisseur", "caid", "2026-02-01", "2026-07-31", 80_000.0, 80_000.0, Done, 100, 2.0,
        "Reprise du conflit en cas de sécheresse sévère.", "L'investisseur accepte un plafond de pompage en été.",
        &[("abhm", "appui technique", "Données piézométriques et règles de partage."), ("auea", "partie prenante", "Représentation des irrigants.")], &["gov", "pumping"]),
    ("transparency", 4, "Publication trimestrielle du budget et de l'avancement du plan", "dgs", "2026-04-01", "2028-06-30", 90_000.0, 30_000.0, InProgress, 40, 1.0,
        "Informations détournées dans la polémique politique.", "L'opposition est associée à la présentation des bilans.",
        &[("fb", "relais", "Diffusion en ligne des bilans."), ("radio", "relais", "Émission annuelle sur le plan.")], &["gov"]),
    ("forum", 4, "Forum annuel de suivi du plan ouvert aux jeunes et à l'opposition", "dgs", "2027-03-01", "2028-06-30", 240_000.0, 0.0, Planned, 0, 2.0,
        "Boycott par une partie des élus.", "Le caïd et le président co-invitent le forum.",
        &[("cons-opp", "co-organisateur", "Mobilisation des douars de l'opposition."), ("ump", "appui technique", "Animation et synthèse des travaux.")], &["gov", "core"]),
];

#[rustfmt::skip]
const INDICATORS: &[IndicatorRow] = &[
    (1, None, Some(1), "Baisse annuelle du niveau de la nappe au piézomètre de Bni Drar", "m/an", Some((1.5, "2025-12-31")), Some((1.4, "2026-10-31")),
        "Relevés piézométriques de l'ABHM", &[("2026", 1.4), ("2027", 1.1), ("2028", 0.8)]),
    (2, Some("meters"), None, "Forages équipés de compteurs", "forages", Some((0.0, "2026-01-15")), Some((14.0, "2026-11-15")),
        "Registre des compteurs de l'ABHM, visites de contrôle", &[("2026", 20.0), ("2027", 35.0)]),
    (3, Some("drip"), None, "Superficie convertie au goutte-à-goutte", "ha", Some((0.0, "2026-09-01")), Some((22.0, "2026-11-20")),
        "Procès-verbaux de réception de la DPA", &[("2026", 30.0), ("2027", 90.0), ("2028", 150.0)]),
    (4, None, Some(2), "Part de l'huile des coopératives vendue conditionnée et étiquetée", "%", Some((20.0, "2026-01-31")), Some((26.0, "2026-10-31")),
        "Registres de vente des coopératives", &[("2026", 30.0), ("2027", 45.0), ("2028", 60.0)]),
    (5, Some("onssa"), None, "Coopératives agréées ONSSA", "coopératives", Some((1.0, "2026-01-31")), Some((1.0, "2026-11-15")),
        "Certificats d'agrément ONSSA", &[("2026", 2.0), ("2027", 4.0)]),
    (6, None, Some(3), "Emplois créés ou consolidés pour les 18–30 ans", "emplois", Some((0.0, "2026-01-31")), Some((18.0, "2026-11-20")),
        "Suivi des porteurs de projets par les coachs, attestations d'employeurs", &[("2026", 30.0), ("2027", 90.0), ("2028", 150.0)]),
    (7, Some("agr"), None, "Activités génératrices de revenus financées", "projets", Some((0.0, "2026-05-01")), Some((9.0, "2026-11-10")),
        "Conventions signées avec la division de l'action sociale", &[("2026", 10.0), ("2027", 25.0)]),
    (8, Some("training"), None, "Jeunes ayant achevé la formation qualifiante", "jeunes", Some((0.0, "2026-10-01")), None,
        "Attestations de fin de formation de l'ONCA", &[("2027", 40.0), ("2028", 60.0)]),
    (9, None, Some(4), "Réunions de concertation multi-acteurs tenues", "réunions/an", Some((1.0, "2025-12-31")), Some((4.0, "2026-11-20")),
        "Procès-verbaux et listes de présence", &[("2026", 4.0), ("2027", 6.0), ("2028", 6.0)]),
];

fn pa(kind: &str, key: impl std::fmt::Display) -> ItemId {
    ItemId(format!("pa-{kind}-{key}"))
}

fn actor(key: &str) -> ItemId {
    ItemId(format!("act-{key}"))
}

/// The demo action plan of the Commune de Bni Drar, for the diagnosis document `diagnosis_id`.
pub fn demo_action_plan(diagnosis_id: &str) -> ActionPlan {
    let mut p = ActionPlan {
        title: "Plan d'action communal — Bni Drar 2026–2028".to_string(),
        diagnosis: diagnosis_id.to_string(),
        ..ActionPlan::default()
    };
    for &(key, theme, coach, members) in GROUPS {
        let group = WorkingGroup {
            theme: theme.to_string(),
            coach: coach.to_string(),
            deleted: false,
        };
        p.groups.insert(pa("grp", key), group);
        for m in members {
            let member = GroupMember {
                group: pa("grp", key),
                actor: actor(m),
                deleted: false,
            };
            p.members.insert(pa("mbr", format!("{key}-{m}")), member);
        }
    }
    for &(n, group, title) in ORIENTATIONS {
        let orientation = Orientation {
            title: title.to_string(),
            group: Some(pa("grp", group)),
            deleted: false,
        };
        p.orientations.insert(pa("ori", n), orientation);
    }
    for &(
        key,
        ori,
        title,
        lead,
        start,
        due,
        budget,
        committed,
        status,
        progress,
        weight,
        risks,
        assumptions,
        partners,
        issues,
    ) in ACTIONS
    {
        let action = Action {
            orientation: Some(pa("ori", ori)),
            title: title.to_string(),
            lead: Some(actor(lead)),
            start: start.to_string(),
            due: due.to_string(),
            budget,
            committed,
            status,
            progress,
            weight,
            risks: risks.to_string(),
            assumptions: assumptions.to_string(),
            deleted: false,
        };
        p.actions.insert(pa("act", key), action);
        for (n, &(who, role, contribution)) in partners.iter().enumerate() {
            let partner = Partner {
                action: pa("act", key),
                actor: actor(who),
                role: role.to_string(),
                contribution: contribution.to_string(),
                deleted: false,
            };
            p.partners
                .insert(pa("prt", format!("{key}-{}", n + 1)), partner);
        }
        for issue in issues {
            let link = IssueLink {
                action: pa("act", key),
                issue: ItemId(format!("iss-{issue}")),
                deleted: false,
            };
            p.links.insert(pa("lnk", format!("{key}-{issue}")), link);
        }
    }
    for &(n, action, ori, name, unit, baseline, current, verification, targets) in INDICATORS {
        let indicator = Indicator {
            action: action.map(|a| pa("act", a)),
            orientation: ori.map(|o| pa("ori", o)),
            name: name.to_string(),
            unit: unit.to_string(),
            baseline: baseline.map(|(v, _)| v),
            baseline_date: baseline.map_or("", |(_, d)| d).to_string(),
            current: current.map(|(v, _)| v),
            current_date: current.map_or("", |(_, d)| d).to_string(),
            verification: verification.to_string(),
            deleted: false,
        };
        p.indicators.insert(pa("ind", n), indicator);
        for (&(period, value), letter) in targets.iter().zip('a'..) {
            let target = Target {
                indicator: pa("ind", n),
                period: period.to_string(),
                value,
                deleted: false,
            };
            p.targets.insert(pa("tgt", format!("{n}{letter}")), target);
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnosis::demo::demo_diagnosis;

    const TODAY: &str = "2026-11-29";

    #[test]
    fn counts_and_title() {
        let p = demo_action_plan("doc-diag");
        assert_eq!(p.title, "Plan d'action communal — Bni Drar 2026–2028");
        assert_eq!(p.diagnosis, "doc-diag");
        assert_eq!((p.groups.len(), p.orientations.len()), (3, 4));
        assert!((14..=18).contains(&p.actions.len()), "{}", p.actions.len());
        assert!((8..=10).contains(&p.indicators.len()));
        for g in p.groups.keys() {
            let n = p.members.values().filter(|m| &m.group == g).count();
            assert!((3..=6).contains(&n), "{g:?}: {n} members");
        }
        for a in p.actions.keys() {
            let n = p.partners.values().filter(|x| &x.action == a).count();
            assert!((1..=3).contains(&n), "{a:?}: {n} partners");
            let n = p.links.values().filter(|l| &l.action == a).count();
            assert!((1..=2).contains(&n), "{a:?}: {n} issue links");
        }
        for i in p.indicators.keys() {
            let n = p.targets.values().filter(|t| &t.indicator == i).count();
            assert!((2..=3).contains(&n), "{i:?}: {n} targets");
        }
        assert_eq!(p, demo_action_plan("doc-diag"));
    }

    #[test]
    fn references_resolve() {
        let (p, d) = (demo_action_plan("d"), demo_diagnosis());
        let is_actor = |a: &ItemId| d.actors.contains_key(a);
        for o in p.orientations.values() {
            assert!(p.groups.contains_key(o.group.as_ref().unwrap()));
        }
        for m in p.members.values() {
            assert!(
                p.groups.contains_key(&m.group) && is_actor(&m.actor),
                "{m:?}"
            );
        }
        for (id, a) in &p.actions {
            assert!(p.orientations.contains_key(a.orientation.as_ref().unwrap()));
            assert!(is_actor(a.lead.as_ref().unwrap()), "{id:?}");
        }
        for x in p.partners.values() {
            assert!(
                p.actions.contains_key(&x.action) && is_actor(&x.actor),
                "{x:?}"
            );
        }
        for l in p.links.values() {
            assert!(p.actions.contains_key(&l.action) && d.issues.contains_key(&l.issue));
        }
        for (id, i) in &p.indicators {
            assert!(i.action.is_some() != i.orientation.is_some(), "{id:?}");
            assert!(i.action.as_ref().is_none_or(|a| p.actions.contains_key(a)));
            assert!(
                i.orientation
                    .as_ref()
                    .is_none_or(|o| p.orientations.contains_key(o))
            );
        }
        assert!(
            p.targets
                .values()
                .all(|t| p.indicators.contains_key(&t.indicator))
        );
        // The plan's ids never collide with the diagnosis'.
        let plan_ids = p
            .groups
            .keys()
            .chain(p.actions.keys())
            .chain(p.indicators.keys());
        for id in plan_ids
            .chain(p.orientations.keys())
            .chain(p.targets.keys())
        {
            assert!(id.0.starts_with("pa-") && !is_actor(id) && !d.issues.contains_key(id));
        }
    }

    #[test]
    fn statuses_dates_budgets_and_progress() {
        let p = demo_action_plan("d");
        let late = p.actions.values().filter(|a| a.is_late(TODAY)).count();
        assert!(late >= 2, "{late} late");
        let count = |s| p.actions.values().filter(|a| a.status == s).count();
        assert!(count(Done) >= 2);
        assert_eq!((count(Blocked), count(Dropped)), (1, 1));
        for a in p.actions.values() {
            assert!(
                a.start.as_str() >= "2026-01-01"
                    && a.start < a.due
                    && a.due.as_str() <= "2028-06-30"
            );
            assert!(
                (50_000.0..=2_500_000.0).contains(&a.budget)
                    && (0.0..=a.budget).contains(&a.committed)
            );
            assert!(a.progress <= 100 && (1.0..=3.0).contains(&a.weight));
            assert!(!a.risks.is_empty() && !a.assumptions.is_empty());
        }
        for o in p.orientations.keys() {
            let progress = p.orientation_progress(o);
            assert!(
                progress.is_some_and(|v| (0.0..=100.0).contains(&v)),
                "{o:?}: {progress:?}"
            );
        }
        let measured = p
            .indicators
            .values()
            .filter(|i| i.current.is_some())
            .count();
        assert!(measured * 2 > p.indicators.len());
        assert!(
            p.indicators
                .values()
                .all(|i| i.baseline.is_some() && !i.verification.is_empty())
        );
    }
}
