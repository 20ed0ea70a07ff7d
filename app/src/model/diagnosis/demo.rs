//! A realistic shared diagnosis of a rural commune of the Oriental, Bni Drar (Préfecture
//! d'Oujda-Angad), for the demo: about forty actors, eighty ties, a problem tree around the
//! exodus of the young, the actors' positions, resources and a SWOT board.
//!
//! Names are roles and organisations, never living persons; associations and douars are
//! invented. Figures in the evidence are marked as estimates. Ids are short and fixed, so the
//! demo is the same on every run.

use super::types::{
    Actor, ActorCategory, ActorCategory::*, Diagnosis, Issue, IssueRole, IssueRole::*, Level,
    Level::*, Position, Resource, ResourceKind, ResourceKind::*, SwotItem, SwotQuadrant,
    SwotQuadrant::*, Tie, TieKind, TieKind::*,
};
use crate::model::ItemId;

type Str = &'static str;

/// The two demo coaches, who recorded the ties.
const S: Str = "Salma Benali";
const Y: Str = "Youssef El Idrissi";

/// key (after `act-`), name, category, organisation, level, influence, interest, location, notes.
type ActorRow = (Str, Str, ActorCategory, Str, Level, u8, u8, Str, Str);
/// from, to (actor keys), kind, strength, since, recorded by.
type TieRow = (Str, Str, TieKind, u8, Str, Str);
/// key (after `iss-`), statement, role, parent key, evidence.
type IssueRow = (Str, Str, IssueRole, Option<Str>, Str);
/// Where and when a stance was heard.
type Source = (Str, Str);
/// actor key, issue key, stance, source, rationale.
type PositionRow = (Str, Str, i8, Source, Str);
/// key (after `res-`), name, kind, notes.
type ResourceRow = (Str, Str, ResourceKind, Str);
/// key (after `swot-`), quadrant, text, issue key, resource key.
type SwotRow = (Str, SwotQuadrant, Str, Option<Str>, Option<Str>);

#[rustfmt::skip]
const ACTORS: &[ActorRow] = &[
    // Elected officials.
    ("president", "Président de la commune", ElectedOfficial, "Conseil communal de Bni Drar", Commune, 5, 5, "Bni Drar centre", "Porte le Plan d'action communal (PAC) 2023–2028; majorité confortable mais contestée."),
    ("vp-agri", "1er vice-président, chargé de l'agriculture et du développement rural", ElectedOfficial, "Conseil communal de Bni Drar", Commune, 4, 4, "Douar Ouled Ali", "Oléiculteur, membre de la Chambre d'agriculture: le pont entre la mairie et les agriculteurs."),
    ("cons-opp", "Conseiller communal de l'opposition", ElectedOfficial, "Conseil communal de Bni Drar", Commune, 2, 4, "Douar Sidi Moussa", "Très actif sur les réseaux sociaux; dénonce la gestion de l'eau et du souk."),
    ("cons-femmes", "Conseillère communale, présidente de la commission des affaires sociales", ElectedOfficial, "Conseil communal de Bni Drar", Commune, 2, 5, "Bni Drar centre", "Ancienne animatrice associative, siège à l'IEECAG; relaie les femmes et les parents d'élèves."),
    ("cons-prov", "Membre du conseil préfectoral d'Oujda-Angad", ElectedOfficial, "Conseil préfectoral d'Oujda-Angad", Province, 3, 3, "Oujda", "Élu de la circonscription; appuie les projets de routes rurales."),
    ("cons-reg", "Membre du conseil régional de l'Oriental", ElectedOfficial, "Conseil régional de l'Oriental", Region, 4, 2, "Oujda", "Commission du développement rural; rarement sur le terrain."),
    // Administration.
    ("caid", "Caïd de Bni Drar", Administration, "Ministère de l'Intérieur — caïdat de Bni Drar", Commune, 5, 3, "Bni Drar centre", "Autorité locale; préside le comité local INDH; arbitre les conflits d'eau et de terres."),
    ("moqadem", "Chioukh et moqaddems des douars", Administration, "Ministère de l'Intérieur — caïdat de Bni Drar", Commune, 2, 3, "Douars", "Kay3rfo ga3 d-douars, walakin ma kayhdro m3a hta wahed bla idn l-qayd."),
    ("dgs", "Directeur général des services", Administration, "Commune de Bni Drar", Commune, 3, 4, "Bni Drar centre", "Prépare budget et conventions; équipe réduite (≈ 25 agents, estimation)."),
    ("serv-tech", "Service technique communal", Administration, "Commune de Bni Drar", Commune, 2, 4, "Bni Drar centre", "Pistes, éclairage public, suivi des bornes-fontaines."),
    ("onee", "ONEE — Branche eau, direction régionale de l'Oriental", Administration, "Office national de l'électricité et de l'eau potable", National, 4, 2, "Oujda", "Eau potable du centre; raccordement des douars au cas par cas."),
    ("dpa", "Direction provinciale de l'agriculture d'Oujda", Administration, "Ministère de l'Agriculture", Province, 4, 3, "Oujda", "Subventions Génération Green: goutte-à-goutte, plantations d'oliviers."),
    ("onca", "Centre de conseil agricole de Bni Drar", Administration, "Office national du conseil agricole (ONCA)", Commune, 2, 4, "Bni Drar centre", "Deux conseillers pour toute la commune; proches des coopératives."),
    ("dpe", "Direction provinciale de l'éducation nationale", Administration, "AREF de l'Oriental", Province, 3, 3, "Oujda", "Regroupe les écoles satellites en école communautaire; transport scolaire avec la commune."),
    ("sante", "Centre de santé rural de Bni Drar", Administration, "Délégation provinciale de la santé", Commune, 2, 3, "Bni Drar centre", "Un médecin, trois infirmiers (estimation); unité mobile pour les douars éloignés."),
    ("ado", "Agence de l'Oriental", Administration, "Agence de développement de l'Oriental", Region, 4, 4, "Oujda", "Partenaire du coaching territorial; finance filières de terroir et études."),
    ("abhm", "Agence du bassin hydraulique de la Moulouya", Administration, "ABH Moulouya", Region, 4, 3, "Oujda", "Autorisations de forage et police de l'eau; peu d'agents de contrôle."),
    ("indh", "Division de l'action sociale — INDH", Administration, "Préfecture d'Oujda-Angad", Province, 4, 4, "Oujda", "Finance AGR et projets associatifs (phase III: jeunes, petite enfance)."),
    ("anapec", "ANAPEC — agence d'Oujda", Administration, "Agence nationale de promotion de l'emploi et des compétences", National, 2, 3, "Oujda", "Aucune permanence à Bni Drar; ignorée des acteurs locaux."),
    // Civil society.
    ("femmes", "Association des femmes Tafilalt", CivilSociety, "Association locale", Commune, 3, 5, "Douar Ouled Ali", "Alphabétisation, couture, accompagne la coopérative Azir; ≈ 120 adhérentes (estimation)."),
    ("jeunes", "Association des jeunes de Bni Drar pour la culture et le sport", CivilSociety, "Association locale", Commune, 2, 5, "Bni Drar centre", "Réclame la gestion de la maison des jeunes: « الجماعة ما كتسمعش لينا »."),
    ("apte", "Association des parents d'élèves du collège de Bni Drar", CivilSociety, "Association locale", Commune, 2, 4, "Bni Drar centre", "Transport scolaire, internat des filles, abandon scolaire."),
    ("auea", "Association des usagers des eaux agricoles (AUEA) de Bni Drar", CivilSociety, "AUEA", Commune, 3, 5, "Douar Laâouinate", "Gère les séguias du périmètre de petite hydraulique; en conflit ouvert sur le pompage."),
    ("amal", "جمعية الأمل للتنمية", CivilSociety, "Association de douar", Commune, 2, 4, "Douar Ouled Ali", "Gère le point d'eau du douar; porte un projet de borne-fontaine."),
    ("sidi-moussa", "جمعية سيدي موسى للتنمية والتضامن", CivilSociety, "Association de douar", Commune, 2, 4, "Douar Sidi Moussa", "Conteste l'emplacement du futur réservoir d'eau, prévu côté Ouled Ali."),
    ("env", "Association Oriental Environnement", CivilSociety, "Association régionale", Region, 2, 3, "Oujda", "Plaidoyer contre les carrières, pour la protection des piémonts des Beni Snassen."),
    ("handicap", "جمعية النور لذوي الاحتياجات الخاصة", CivilSociety, "Association locale", Commune, 1, 4, "Bni Drar centre", "Petite association récente, jamais invitée aux réunions: à intégrer."),
    ("mre", "Association des Marocains du monde originaires de Bni Drar", CivilSociety, "Association de la diaspora", National, 2, 3, "Bruxelles / Bni Drar", "Finance des projets ponctuels l'été; réseau en Belgique et en France."),
    // Economic players.
    ("coop-olive", "Coopérative oléicole Zitoune Bni Drar", EconomicPlayer, "Coopérative agricole", Commune, 3, 5, "Bni Drar centre", "Unité de trituration semi-moderne; ≈ 85 adhérents (estimation); vend surtout en vrac."),
    ("coop-miel", "Coopérative apicole Nahla", EconomicPlayer, "Coopérative agricole", Commune, 2, 4, "Douar Laâouinate", "Miel de romarin et d'euphorbe; ruchers touchés par la sécheresse."),
    ("coop-pam", "Coopérative féminine Azir des plantes aromatiques et médicinales", EconomicPlayer, "Coopérative agricole", Commune, 2, 5, "Douar Ouled Ali", "Romarin et thym, distillation d'huiles essentielles; 28 membres, toutes des femmes."),
    ("transport", "Association des transporteurs (grands taxis) Bni Drar – Oujda", EconomicPlayer, "Association professionnelle", Commune, 2, 3, "Bni Drar centre", "En litige avec la commune sur l'aire de stationnement et les horaires."),
    ("commerce", "Association des commerçants du souk hebdomadaire", EconomicPlayer, "Association professionnelle", Commune, 2, 3, "Bni Drar centre", "Demande la réhabilitation de l'espace du souk."),
    ("alamana", "Al Amana Microfinance — agence d'Oujda", EconomicPlayer, "Fondation Al Amana pour la microfinance", National, 3, 3, "Oujda", "Microcrédits aux commerçants et aux femmes; taux jugés élevés."),
    ("cam", "Crédit Agricole du Maroc — agence d'Oujda", EconomicPlayer, "Crédit Agricole du Maroc", National, 3, 2, "Oujda", "Finance surtout les grandes exploitations."),
    ("investisseur", "Investisseur agro-industriel (oliveraie intensive et trituration)", EconomicPlayer, "Société agricole privée", Province, 4, 3, "Périmètre irrigué de Bni Drar", "120 ha au goutte-à-goutte depuis 2023; ≈ 40 emplois saisonniers (estimation)."),
    ("carriere", "Exploitant de la carrière de gravier", EconomicPlayer, "Société de carrières privée", Province, 3, 1, "Piémont nord", "Poussière et camions sur la piste; se dit créateur d'emplois."),
    ("chambre", "Chambre d'agriculture de l'Oriental", EconomicPlayer, "Chambre professionnelle", Region, 3, 3, "Oujda", "Représente les agriculteurs; foires et salons."),
    // Others.
    ("imam", "إمام المسجد الكبير ببني درار", Other, "Délégation des affaires islamiques", Commune, 3, 3, "Bni Drar centre", "Écouté dans les douars; relaie les messages sur l'eau et la solidarité."),
    ("ump", "Université Mohammed Premier — laboratoire de développement territorial", Other, "Université Mohammed Premier", Region, 2, 3, "Oujda", "Partenaire du coaching territorial; peut analyser huiles et plantes."),
    ("radio", "Radio régionale d'Oujda", Other, "SNRT — radio régionale", Region, 3, 2, "Oujda", "Couvre rarement Bni Drar, sauf les inaugurations."),
    ("fb", "Page Facebook « Bni Drar Info »", Other, "Média citoyen en ligne", Commune, 3, 4, "Bni Drar centre", "≈ 15 000 abonnés (estimation); relaie les critiques de l'opposition et des jeunes."),
];

/// Four groups (commune and caïdat; farming and business; associations and services; regional
/// bodies), bridged mainly by the agriculture vice-president, the social-affairs councillor,
/// the Agence de l'Oriental and the INDH. ANAPEC and the Al Nour association have no tie.
#[rustfmt::skip]
const TIES: &[TieRow] = &[
    // Commune and caïdat.
    ("president", "vp-agri", Alliance, 5, "2021", S),
    ("president", "dgs", Influence, 5, "2021", S),
    ("president", "caid", Alliance, 4, "2021", Y),
    ("caid", "president", Influence, 4, "2021", Y),
    ("caid", "moqadem", Influence, 5, "2015", Y),
    ("moqadem", "caid", Information, 5, "2015", Y),
    ("president", "cons-opp", Conflict, 4, "2021", S),
    ("dgs", "serv-tech", Influence, 4, "2019", S),
    ("cons-prov", "president", Alliance, 3, "2021", S),
    ("president", "cons-prov", Dependency, 3, "2022", Y),
    ("dgs", "president", Information, 4, "2021", S),
    ("caid", "dgs", Influence, 3, "2021", Y),
    // Farming and business.
    ("coop-olive", "coop-miel", Alliance, 3, "2020", S),
    ("coop-olive", "auea", Alliance, 4, "2018", S),
    ("dpa", "onca", Influence, 5, "2014", Y),
    ("onca", "coop-olive", Information, 4, "2019", Y),
    ("onca", "coop-miel", Information, 3, "2020", Y),
    ("onca", "coop-pam", Information, 3, "2021", S),
    ("dpa", "coop-olive", Funding, 4, "2020", Y),
    ("auea", "investisseur", Conflict, 5, "2024", S),
    ("coop-olive", "investisseur", Dependency, 3, "2023", Y),
    ("cam", "investisseur", Funding, 4, "2023", Y),
    ("cam", "coop-olive", Funding, 2, "2021", Y),
    ("alamana", "coop-pam", Funding, 2, "2022", S),
    ("alamana", "commerce", Funding, 3, "2019", S),
    ("commerce", "transport", Alliance, 2, "2018", S),
    ("chambre", "coop-olive", Information, 2, "2022", Y),
    ("chambre", "dpa", Alliance, 3, "2017", Y),
    ("dpa", "auea", Alliance, 4, "2018", Y),
    ("dpa", "auea", Funding, 3, "2019", Y),
    ("investisseur", "dpa", Influence, 3, "2023", S),
    ("coop-miel", "coop-pam", Alliance, 2, "2022", S),
    ("auea", "abhm", Dependency, 4, "2016", Y),
    ("transport", "president", Conflict, 3, "2024", S),
    ("carriere", "env", Conflict, 4, "2022", Y),
    ("carriere", "caid", Dependency, 3, "2020", Y),
    ("carriere", "sidi-moussa", Conflict, 3, "2023", S),
    // Associations and services.
    ("femmes", "coop-pam", Alliance, 5, "2019", S),
    ("femmes", "imam", Alliance, 3, "2020", S),
    ("jeunes", "apte", Alliance, 3, "2021", S),
    ("apte", "dpe", Dependency, 3, "2018", Y),
    ("dpe", "apte", Information, 3, "2018", Y),
    ("sante", "femmes", Information, 3, "2021", S),
    ("amal", "sidi-moussa", Conflict, 4, "2025", Y),
    ("imam", "amal", Influence, 3, "2016", Y),
    ("imam", "sidi-moussa", Influence, 2, "2016", Y),
    ("imam", "jeunes", Influence, 2, "2020", S),
    ("mre", "amal", Funding, 3, "2017", Y),
    ("mre", "jeunes", Funding, 2, "2022", S),
    ("jeunes", "fb", Information, 4, "2022", S),
    ("cons-opp", "fb", Information, 4, "2023", S),
    ("jeunes", "president", Conflict, 3, "2024", S),
    ("amal", "femmes", Alliance, 3, "2019", S),
    ("apte", "femmes", Alliance, 2, "2022", S),
    ("auea", "sidi-moussa", Alliance, 3, "2019", Y),
    // Regional bodies.
    ("cons-reg", "ado", Alliance, 3, "2021", Y),
    ("abhm", "onee", Information, 4, "2018", Y),
    ("onee", "abhm", Dependency, 3, "2018", Y),
    ("ado", "ump", Alliance, 4, "2016", S),
    ("ump", "ado", Information, 3, "2017", S),
    ("env", "abhm", Information, 2, "2021", Y),
    ("ado", "radio", Information, 3, "2019", S),
    ("cons-reg", "radio", Information, 2, "2022", Y),
    ("indh", "ado", Alliance, 3, "2020", S),
    ("cons-reg", "cons-prov", Alliance, 3, "2021", Y),
    // Brokers: the agriculture vice-president (commune ↔ farming).
    ("vp-agri", "dpa", Alliance, 4, "2021", Y),
    ("vp-agri", "coop-olive", Alliance, 4, "2021", Y),
    ("vp-agri", "auea", Information, 3, "2022", Y),
    ("vp-agri", "chambre", Influence, 2, "2021", Y),
    // … the social-affairs councillor (commune ↔ associations).
    ("cons-femmes", "femmes", Alliance, 5, "2021", S),
    ("cons-femmes", "president", Information, 3, "2021", S),
    ("president", "cons-femmes", Influence, 3, "2021", S),
    ("cons-femmes", "apte", Information, 3, "2022", S),
    ("cons-femmes", "coop-pam", Alliance, 3, "2021", S),
    // … the Agence de l'Oriental and the INDH (regional bodies ↔ territory).
    ("ado", "coop-olive", Funding, 4, "2022", Y),
    ("ado", "coop-pam", Funding, 3, "2023", S),
    ("ado", "president", Funding, 4, "2022", Y),
    ("indh", "femmes", Funding, 4, "2020", S),
    ("indh", "jeunes", Funding, 3, "2023", S),
    ("indh", "amal", Funding, 3, "2021", Y),
    ("caid", "indh", Information, 4, "2020", Y),
    ("president", "onee", Dependency, 4, "2019", Y),
    ("serv-tech", "onee", Information, 3, "2020", S),
    ("ump", "coop-pam", Information, 2, "2024", S),
    ("moqadem", "amal", Information, 3, "2018", Y),
    ("moqadem", "sidi-moussa", Information, 3, "2018", Y),
];

#[rustfmt::skip]
const ISSUES: &[IssueRow] = &[
    ("core", "Exode des jeunes et faible création d'emplois locaux", Core, None,
        "Enquête ménages 2026 (n ≈ 320, estimation): ≈ 38 % des 18–30 ans ont quitté la commune depuis 2015; chômage des jeunes estimé à 27 %."),
    ("water", "Raréfaction de l'eau d'irrigation et baisse de la nappe", Cause, Some("core"),
        "Baisse du niveau de la nappe d'environ 1,5 m/an (ABHM, estimation 2019–2025); ≈ 60 % des puits des douars en baisse de débit (relevé AUEA, estimation)."),
    ("pumping", "Multiplication des forages non autorisés et pompage excessif", Cause, Some("water"),
        "≈ 70 forages recensés dans la commune, dont près de la moitié sans autorisation (recensement ABHM partiel, estimation)."),
    ("value", "Faible valorisation des produits locaux (huile d'olive, miel, plantes aromatiques)", Cause, Some("core"),
        "≈ 80 % de l'huile vendue en vrac sans label (estimation des coopératives); 1 coopérative sur 11 agréée ONSSA."),
    ("gov", "Faible concertation entre la commune, les services de l'État et la société civile", Cause, Some("core"),
        "IEECAG réunie 2 fois en 3 ans; PAC 2023–2028 élaboré avec ≈ 40 participants (estimation); maison des jeunes fermée depuis 2022."),
    ("women", "Surcharge de travail et précarité des femmes restées dans les douars", Effect, Some("core"),
        "≈ 1 ménage sur 3 avec un homme absent pour migration (enquête ménages, estimation); 28 % des femmes de 15–49 ans sans revenu propre (estimation)."),
    ("land", "Abandon des terres et vieillissement des exploitants", Effect, Some("core"),
        "Âge moyen des chefs d'exploitation ≈ 58 ans; ≈ 15 % des parcelles d'oliviers non entretenues (relevé ONCA, estimation)."),
    ("services", "Fermeture d'écoles satellites et recul des services dans les douars", Effect, Some("core"),
        "2 écoles satellites fermées depuis 2020 faute d'élèves (DPE, estimation); unité mobile de santé une fois par mois seulement."),
];

const ATELIER: Source = ("Atelier de diagnostic du 14/10/2026", "2026-10-14");
const JEUNES: Source = ("Atelier jeunes du 21/10/2026", "2026-10-21");
const FEMMES: Source = ("Focus group femmes du 03/10/2026", "2026-10-03");
const AUEA: Source = ("Assemblée de l'AUEA du 28/09/2026", "2026-09-28");
const ENTRETIEN_SEPT: Source = ("Entretien individuel", "2026-09-22");
const ENTRETIEN_OCT: Source = ("Entretien individuel", "2026-10-07");

/// Stance: how much the actor holds the issue for a real, priority problem.
#[rustfmt::skip]
const POSITIONS: &[PositionRow] = &[
    ("president", "core", 2, ATELIER, "Priorité n° 1 du PAC: sans emplois, la commune se vide."),
    ("cons-opp", "core", 2, ATELIER, "D'accord sur le constat, mais accuse la majorité de n'avoir rien fait."),
    ("jeunes", "core", 2, JEUNES, "الشباب ما لقاوش خدمة هنا، كلشي باغي يمشي لوجدة ولا لبرا."),
    ("investisseur", "core", 1, ENTRETIEN_OCT, "Manque surtout de main-d'œuvre qualifiée, dit-il, plutôt que d'emplois."),
    ("auea", "core", 2, AUEA, "Les fils d'agriculteurs partent faute d'eau et de revenus."),
    ("caid", "core", 1, ENTRETIEN_SEPT, "Reconnaît le problème, rappelle les programmes existants (INDH, Awrach)."),
    ("anapec", "core", 1, ENTRETIEN_OCT, "Très peu d'inscrits venant de Bni Drar; pourrait tenir une permanence mensuelle."),
    ("mre", "core", 1, ENTRETIEN_SEPT, "Les transferts masquent le problème; investir au bled reste risqué."),
    ("imam", "core", 1, ENTRETIEN_SEPT, "Préoccupé par le départ des jeunes et ses effets sur les familles."),
    ("ado", "core", 2, ATELIER, "Au cœur de sa stratégie pour l'emploi des jeunes ruraux."),
    ("femmes", "core", 2, FEMMES, "Les filles partent aussi, ou restent sans travail."),
    ("dpe", "core", 1, ENTRETIEN_OCT, "Lien avec l'abandon scolaire après le collège."),
    ("auea", "water", 2, AUEA, "Les séguias sont à sec dès juin; la nappe baisse chaque année."),
    ("dpa", "water", 1, ENTRETIEN_SEPT, "Constat partagé, mais attribué surtout à la sécheresse conjoncturelle."),
    ("abhm", "water", 2, ATELIER, "Nappe en déficit chronique; prélèvements supérieurs à la recharge."),
    ("coop-olive", "water", 2, ATELIER, "Rendements en olives divisés par deux les années sèches."),
    ("investisseur", "water", 0, ENTRETIEN_OCT, "L'eau existe en profondeur: il faut des forages autorisés, pas moins d'irrigation."),
    ("amal", "water", 2, ATELIER, "Les puits du douar tarissent chaque été."),
    ("sidi-moussa", "water", 2, ATELIER, "دوار سيدي موسى كيشرب من الصهريج فالصيف."),
    ("president", "water", 1, ATELIER, "Reconnu, mais la commune n'a pas la compétence sur la nappe."),
    ("vp-agri", "water", 1, ENTRETIEN_SEPT, "Oui, mais il ne faut pas freiner les plantations."),
    ("onee", "water", 1, ENTRETIEN_OCT, "L'eau potable des douars doit passer avant l'irrigation."),
    ("env", "water", 2, ATELIER, "Lien direct avec la dégradation des piémonts."),
    ("auea", "pumping", 2, AUEA, "Accuse les grandes exploitations de vider la nappe des petits irrigants."),
    ("investisseur", "pumping", -2, ENTRETIEN_OCT, "Ses forages sont déclarés; le problème, ce sont les petits puits non déclarés."),
    ("dpa", "pumping", -1, ENTRETIEN_SEPT, "Le goutte-à-goutte subventionné économise l'eau; pas de pompage excessif avéré."),
    ("abhm", "pumping", 2, ATELIER, "Police de l'eau débordée: la moitié des forages sans autorisation."),
    ("vp-agri", "pumping", -1, ENTRETIEN_SEPT, "Refuse de pénaliser des agriculteurs qui n'ont pas d'autre source."),
    ("president", "pumping", 1, ATELIER, "Pour un recensement concerté, sans sanctions immédiates."),
    ("caid", "pumping", 1, ENTRETIEN_SEPT, "Prêt à accompagner un recensement avec l'ABHM."),
    ("coop-olive", "pumping", 1, ATELIER, "Inquiète, mais dépend de l'unité de trituration de l'investisseur."),
    ("env", "pumping", 2, ATELIER, "Demande une étude d'impact publique."),
    ("cons-opp", "pumping", 2, ATELIER, "Dénonce des passe-droits dans les autorisations."),
    ("coop-olive", "value", 2, ATELIER, "Veut une marque collective et un agrément ONSSA."),
    ("coop-miel", "value", 2, ATELIER, "Le miel se vend au bord de la route, sans étiquette."),
    ("coop-pam", "value", 2, FEMMES, "Les intermédiaires d'Oujda achètent le romarin au plus bas prix."),
    ("onca", "value", 2, ENTRETIEN_SEPT, "Formation à l'emballage et à l'étiquetage en préparation."),
    ("dpa", "value", 1, ENTRETIEN_SEPT, "Priorité Génération Green, mais peu de dossiers déposés."),
    ("investisseur", "value", 2, ENTRETIEN_OCT, "Propose d'acheter les olives pour sa propre marque."),
    ("auea", "value", 1, AUEA, "D'accord, mais l'eau d'abord."),
    ("ado", "value", 2, ATELIER, "Prête à cofinancer un label et une vitrine des produits de terroir."),
    ("chambre", "value", 1, ENTRETIEN_OCT, "Peut inscrire les coopératives aux salons régionaux."),
    ("ump", "value", 1, ATELIER, "Peut analyser l'acidité de l'huile et la qualité des huiles essentielles."),
    ("commerce", "value", 0, ENTRETIEN_OCT, "Le souk écoule déjà les produits; ne voit pas le problème."),
    ("alamana", "value", 1, ENTRETIEN_OCT, "Financerait du petit matériel de conditionnement."),
    ("president", "gov", -1, ATELIER, "Le PAC a été élaboré de façon participative; les critiques sont politiques."),
    ("cons-prov", "gov", 1, ENTRETIEN_OCT, "Souhaite une instance de concertation entre commune et services provinciaux."),
    ("cons-opp", "gov", 2, ATELIER, "Les décisions se prennent hors du conseil."),
    ("jeunes", "gov", 2, JEUNES, "La maison des jeunes reste fermée; nous ne sommes jamais consultés."),
    ("femmes", "gov", 1, FEMMES, "Écoutées par la conseillère, rarement par le bureau."),
    ("cons-femmes", "gov", 2, ATELIER, "L'IEECAG se réunit trop rarement pour peser."),
    ("caid", "gov", 0, ENTRETIEN_SEPT, "Les commissions existent; il faut surtout les faire fonctionner."),
    ("dgs", "gov", 0, ENTRETIEN_OCT, "Manque d'agents pour animer la concertation."),
    ("ado", "gov", 2, ATELIER, "Raison d'être du coaching territorial dans la commune."),
    ("indh", "gov", 1, ENTRETIEN_OCT, "Les comités locaux INDH pourraient servir de relais."),
    ("fb", "gov", 2, ENTRETIEN_OCT, "Les habitants apprennent les décisions par notre page."),
    ("imam", "gov", 0, ENTRETIEN_SEPT, "Préfère rester en dehors des questions politiques."),
    ("transport", "gov", 1, ENTRETIEN_OCT, "Jamais consultés sur la nouvelle gare de taxis."),
    ("femmes", "women", 2, FEMMES, "Les femmes tiennent la terre, la maison et les bêtes, seules."),
    ("coop-pam", "women", 2, FEMMES, "La coopérative est souvent le seul revenu propre des membres."),
    ("cons-femmes", "women", 2, ATELIER, "Demande un budget genre dans le PAC."),
    ("imam", "women", 0, ENTRETIEN_SEPT, "La famille élargie compense, selon lui; le problème est exagéré."),
    ("sante", "women", 1, ENTRETIEN_OCT, "Suivi prénatal tardif dans les douars éloignés."),
    ("amal", "women", 1, ATELIER, "Réel, mais moins urgent que l'eau du douar."),
    ("alamana", "women", 1, ENTRETIEN_OCT, "Les femmes sont la majorité de ses emprunteuses à Bni Drar."),
    ("indh", "women", 2, ENTRETIEN_OCT, "Cible prioritaire des AGR de la phase III."),
    ("president", "women", 1, ATELIER, "Favorable à une crèche au centre."),
    ("onca", "land", 2, ENTRETIEN_SEPT, "Vergers mal entretenus, rendements en baisse."),
    ("coop-olive", "land", 1, ATELIER, "Moins d'apports d'olives chaque saison."),
    ("chambre", "land", 1, ENTRETIEN_OCT, "Phénomène général dans l'Oriental."),
    ("dpa", "land", 1, ENTRETIEN_SEPT, "Programme de renouvellement des oliviers possible."),
    ("vp-agri", "land", 2, ENTRETIEN_SEPT, "Les jeunes ne reprennent pas les exploitations."),
    ("auea", "land", 2, AUEA, "Des parcelles entières du périmètre ne sont plus irriguées."),
    ("investisseur", "land", -1, ENTRETIEN_OCT, "Y voit plutôt des terres à louer et à moderniser."),
    ("mre", "land", 1, ENTRETIEN_SEPT, "Terres en indivision laissées à des parents âgés."),
    ("ump", "land", 1, ATELIER, "Propose une étude sur le foncier agricole."),
    ("apte", "services", 2, ATELIER, "Les enfants des douars marchent 5 km pour rejoindre l'école."),
    ("dpe", "services", 0, ENTRETIEN_OCT, "L'école communautaire offre une meilleure qualité que les écoles satellites."),
    ("sante", "services", 1, ENTRETIEN_OCT, "L'unité mobile ne suffit pas."),
    ("jeunes", "services", 1, JEUNES, "Ni terrain de sport ni internet dans les douars."),
    ("amal", "services", 2, ATELIER, "L'école du douar a fermé en 2021."),
    ("sidi-moussa", "services", 2, ATELIER, "Plus de taxi vers le centre après 17 h."),
    ("moqadem", "services", 1, ENTRETIEN_SEPT, "F douar bqaw ghir chyab w drari sghar, l-medrasa tsddat."),
    ("transport", "services", 1, ENTRETIEN_OCT, "Prêt à assurer un transport scolaire si la commune le finance."),
    ("president", "services", 1, ATELIER, "Convention de transport scolaire en négociation."),
    ("cons-opp", "services", 2, ATELIER, "Les douars de l'opposition sont oubliés."),
];

#[rustfmt::skip]
const RESOURCES: &[ResourceRow] = &[
    ("water", "Nappe des Angad et sources des douars", Natural, "Ressource partagée en baisse; seule source d'irrigation hors pluie."),
    ("olive", "Oliveraies traditionnelles (≈ 2 000 ha, estimation)", Natural, "Variété Picholine marocaine; base de l'économie locale."),
    ("pam", "Romarin, thym et armoise des piémonts des Beni Snassen", Natural, "Cueillette encadrée par les Eaux et Forêts; risque de surexploitation."),
    ("youth", "Jeunes diplômés sans emploi", Human, "≈ 400 bacheliers et licenciés résidant dans la commune (estimation)."),
    ("coops", "Savoir-faire des coopératives féminines", Human, "Distillation, conditionnement, tissage."),
    ("mre", "Épargne et réseaux des Marocains du monde", Financial, "Transferts importants l'été; intérêt pour des projets au bled."),
    ("funds", "Financements INDH et Agence de l'Oriental", Financial, "Appels à projets annuels; dossiers à monter avec l'appui des coachs."),
    ("road", "Proximité d'Oujda, de l'aéroport et de l'autoroute Fès–Oujda", Infrastructure, "≈ 20 km du centre d'Oujda; route goudronnée jusqu'au centre, pistes vers les douars."),
    ("souk", "Souk hebdomadaire et moussem de l'olive", Cultural, "Lieu de rencontre de tous les douars; fête annuelle à relancer."),
];

#[rustfmt::skip]
const SWOT: &[SwotRow] = &[
    ("s1", Strength, "Tradition oléicole et huile réputée localement", None, Some("olive")),
    ("s2", Strength, "Tissu associatif dense (≈ 30 associations, estimation)", Some("gov"), None),
    ("s3", Strength, "Proximité d'Oujda et de ses marchés", None, Some("road")),
    ("s4", Strength, "Coopératives féminines structurées (plantes, miel)", None, Some("coops")),
    ("w1", Weakness, "Nappe surexploitée et forages non contrôlés", Some("pumping"), Some("water")),
    ("w2", Weakness, "Méfiance entre majorité, opposition et jeunes", Some("gov"), None),
    ("w3", Weakness, "Produits vendus en vrac, sans label ni emballage", Some("value"), None),
    ("w4", Weakness, "Ni formation professionnelle ni service de l'emploi sur place", Some("core"), Some("youth")),
    ("o1", Opportunity, "Génération Green et aides à la valorisation des produits de terroir", Some("value"), Some("funds")),
    ("o2", Opportunity, "Demande croissante de produits de terroir (salons, vente en ligne)", Some("value"), Some("pam")),
    ("o3", Opportunity, "Investissement des Marocains du monde originaires de la commune", Some("core"), Some("mre")),
    ("o4", Opportunity, "Partenariat Université Mohammed Premier – Agence de l'Oriental", Some("gov"), None),
    ("t1", Threat, "Sécheresses répétées et changement climatique", Some("water"), Some("water")),
    ("t2", Threat, "Attraction d'Oujda et de l'émigration sur les jeunes", Some("core"), Some("youth")),
    ("t3", Threat, "Concurrence des huiles industrielles bon marché", Some("value"), Some("olive")),
    ("t4", Threat, "Dégradation des piémonts par les carrières et le surpâturage", None, Some("pam")),
];

fn id(prefix: &str, key: &str) -> ItemId {
    ItemId(format!("{prefix}-{key}"))
}

/// The demo diagnosis of the Commune de Bni Drar.
pub fn demo_diagnosis() -> Diagnosis {
    let mut d = Diagnosis {
        title: "Diagnostic partagé — Commune de Bni Drar".to_string(),
        ..Diagnosis::default()
    };
    for &(key, name, category, organisation, level, influence, interest, location, notes) in ACTORS
    {
        let actor = Actor {
            name: name.to_string(),
            category,
            organisation: organisation.to_string(),
            level,
            influence,
            interest,
            notes: notes.to_string(),
            location: location.to_string(),
            pinned: None,
            deleted: false,
        };
        d.actors.insert(id("act", key), actor);
    }
    for (n, &(from, to, kind, strength, since, recorded_by)) in TIES.iter().enumerate() {
        let tie = Tie {
            from: id("act", from),
            to: id("act", to),
            kind,
            directed: !matches!(kind, Alliance | Conflict),
            strength,
            since: since.to_string(),
            recorded_by: recorded_by.to_string(),
            deleted: false,
        };
        d.ties.insert(ItemId(format!("tie-{:03}", n + 1)), tie);
    }
    for &(key, statement, role, parent, evidence) in ISSUES {
        let issue = Issue {
            statement: statement.to_string(),
            role,
            parent: parent.map(|p| id("iss", p)),
            evidence: evidence.to_string(),
            deleted: false,
        };
        d.issues.insert(id("iss", key), issue);
    }
    for (n, &(actor, issue, stance, (source, date), rationale)) in POSITIONS.iter().enumerate() {
        let position = Position {
            actor: id("act", actor),
            issue: id("iss", issue),
            stance,
            rationale: rationale.to_string(),
            date: date.to_string(),
            source: source.to_string(),
            deleted: false,
        };
        d.positions
            .insert(ItemId(format!("pos-{:03}", n + 1)), position);
    }
    for &(key, name, kind, notes) in RESOURCES {
        let resource = Resource {
            name: name.to_string(),
            kind,
            notes: notes.to_string(),
            deleted: false,
        };
        d.resources.insert(id("res", key), resource);
    }
    for &(key, quadrant, text, issue, resource) in SWOT {
        let item = SwotItem {
            quadrant,
            text: text.to_string(),
            issue: issue.map(|i| id("iss", i)),
            resource: resource.map(|r| id("res", r)),
            deleted: false,
        };
        d.swot.insert(id("swot", key), item);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn counts_and_title() {
        let d = demo_diagnosis();
        assert_eq!(d.title, "Diagnostic partagé — Commune de Bni Drar");
        assert!(
            (38..=45).contains(&d.actors.len()),
            "{} actors",
            d.actors.len()
        );
        assert!((75..=90).contains(&d.ties.len()), "{} ties", d.ties.len());
        assert_eq!(d.issues.len(), 8);
        let roles = |r| d.issues.values().filter(|i| i.role == r).count();
        assert_eq!(roles(Core), 1);
        assert_eq!(roles(Cause), 4);
        assert_eq!(roles(Effect), 3);
        assert!((7..=10).contains(&d.resources.len()));
        assert_eq!(d.swot.len(), 16);
        for q in SwotQuadrant::ALL {
            assert_eq!(d.swot.values().filter(|s| s.quadrant == *q).count(), 4);
        }
        for c in ActorCategory::ALL {
            assert!(
                d.actors.values().filter(|a| a.category == *c).count() >= 4,
                "{c:?}"
            );
        }
        for k in TieKind::ALL {
            assert!(d.ties.values().any(|t| t.kind == *k), "{k:?}");
        }
        for k in ResourceKind::ALL {
            assert!(d.resources.values().any(|r| r.kind == *k), "{k:?}");
        }
    }

    #[test]
    fn ids_are_unique_and_stable() {
        let d = demo_diagnosis();
        assert_eq!(d.actors.len(), ACTORS.len());
        assert_eq!(d.ties.len(), TIES.len());
        assert_eq!(d.issues.len(), ISSUES.len());
        assert_eq!(d.positions.len(), POSITIONS.len());
        assert_eq!(d.resources.len(), RESOURCES.len());
        assert_eq!(d.swot.len(), SWOT.len());
        assert!(d.actors.contains_key(&ItemId("act-president".into())));
        assert!(d.issues.contains_key(&ItemId("iss-core".into())));
        assert!(d.ties.contains_key(&ItemId("tie-001".into())));
        assert!(d.positions.contains_key(&ItemId("pos-001".into())));
        assert_eq!(d, demo_diagnosis());
        // One stance per actor and issue.
        let pairs: BTreeSet<_> = d.positions.values().map(|p| (&p.actor, &p.issue)).collect();
        assert_eq!(pairs.len(), d.positions.len());
        // No tie twice with the same ends and kind.
        let ties: BTreeSet<_> = d.ties.values().map(|t| (&t.from, &t.to, t.kind)).collect();
        assert_eq!(ties.len(), d.ties.len());
    }

    #[test]
    fn references_point_to_existing_items() {
        let d = demo_diagnosis();
        for (tid, t) in &d.ties {
            assert!(d.actors.contains_key(&t.from), "{tid:?} from {:?}", t.from);
            assert!(d.actors.contains_key(&t.to), "{tid:?} to {:?}", t.to);
            assert_ne!(t.from, t.to, "self-tie {tid:?}");
            assert!(t.recorded_by == S || t.recorded_by == Y);
        }
        for (pid, p) in &d.positions {
            assert!(
                d.actors.contains_key(&p.actor),
                "{pid:?} actor {:?}",
                p.actor
            );
            assert!(
                d.issues.contains_key(&p.issue),
                "{pid:?} issue {:?}",
                p.issue
            );
        }
        for (iid, i) in &d.issues {
            match &i.parent {
                None => assert_eq!(i.role, Core, "{iid:?}"),
                Some(p) => {
                    assert_ne!(i.role, Core, "{iid:?}");
                    assert!(d.issues.contains_key(p), "{iid:?} parent {p:?}");
                }
            }
        }
        for (sid, s) in &d.swot {
            if let Some(i) = &s.issue {
                assert!(d.issues.contains_key(i), "{sid:?} issue {i:?}");
            }
            if let Some(r) = &s.resource {
                assert!(d.resources.contains_key(r), "{sid:?} resource {r:?}");
            }
        }
        assert!(
            d.swot
                .values()
                .filter(|s| s.issue.is_some() || s.resource.is_some())
                .count()
                >= 8
        );
    }

    #[test]
    fn values_in_range_and_nothing_pinned_or_deleted() {
        let d = demo_diagnosis();
        for a in d.actors.values() {
            assert!(
                (1..=5).contains(&a.influence) && (1..=5).contains(&a.interest),
                "{}",
                a.name
            );
            assert!(a.pinned.is_none() && !a.deleted);
            assert!(!a.location.is_empty() && !a.notes.is_empty());
        }
        for t in d.ties.values() {
            assert!((1..=5).contains(&t.strength) && !t.deleted);
            assert_eq!(t.directed, !matches!(t.kind, Alliance | Conflict));
        }
        for p in d.positions.values() {
            assert!((-2..=2).contains(&p.stance) && !p.deleted);
            assert!(p.date.starts_with("2026-"));
        }
        for issue in d.issues.keys() {
            let n = d.positions.values().filter(|p| &p.issue == issue).count();
            assert!((8..=15).contains(&n), "{issue:?}: {n} positions");
        }
        assert!(
            d.issues
                .values()
                .all(|i| !i.deleted && !i.evidence.is_empty())
        );
        assert!(d.resources.values().all(|r| !r.deleted));
        assert!(d.swot.values().all(|s| !s.deleted));
    }

    #[test]
    fn structure_worth_analysing() {
        let d = demo_diagnosis();
        // Isolated actors.
        let tied: BTreeSet<_> = d.ties.values().flat_map(|t| [&t.from, &t.to]).collect();
        let isolated: Vec<_> = d.actors.keys().filter(|a| !tied.contains(a)).collect();
        assert!((1..=2).contains(&isolated.len()), "{isolated:?}");
        // Allies who disagree, adversaries who agree.
        let stance: BTreeMap<_, _> = d
            .positions
            .values()
            .map(|p| ((&p.actor, &p.issue), p.stance))
            .collect();
        let pairs = |kind: TieKind, hit: fn(i8, i8) -> bool| {
            d.ties
                .values()
                .filter(|t| t.kind == kind)
                .flat_map(|t| d.issues.keys().map(move |i| (t, i)))
                .filter(
                    |(t, i)| match (stance.get(&(&t.from, *i)), stance.get(&(&t.to, *i))) {
                        (Some(&a), Some(&b)) => hit(a, b),
                        _ => false,
                    },
                )
                .count()
        };
        assert!(pairs(Alliance, |a, b| (a - b).abs() >= 2) >= 2);
        assert!(pairs(Conflict, |a, b| a * b > 0 && (a - b).abs() <= 1) >= 2);
    }
}
