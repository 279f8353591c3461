//! `/toegankelijkheid`: the accessibility statement (toegankelijkheidsverklaring) that Dutch
//! public-sector apps publish, in Dutch, open to everyone and offline on a tablet. It says what
//! is checked and how, and what is known not to meet WCAG 2.1 AA yet; keep it true when that
//! changes.

use leptos::prelude::*;

/// When the statement was last brought up to date (DD-MM-YYYY).
const DRAWN_UP_ON: &str = "04-12-2026";

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    view! {
        <article class="statement card">
            <h1>"Toegankelijkheidsverklaring"</h1>
            <p>"De omgevingsdienst wil dat iedereen Schouw kan gebruiken: toezichthouders in het veld, teamleiders, managers en medewerkers van gemeenten en provincie. Schouw moet voldoen aan de Webrichtlijnen, de Europese norm EN 301 549, die de WCAG 2.1 op niveau AA volgt."</p>

            <h2>"Nalevingsstatus"</h2>
            <p>"Eerste maatregelen genomen. Schouw is nog niet onderzocht door een onafhankelijke deskundige. Wat wij wel doen, staat hieronder; wat nog niet voldoet, ook."</p>

            <h2>"Wat wij doen"</h2>
            <ul>
                <li>"Bij elke wijziging van Schouw controleert een automatische test alle pagina's van de veld-app en van het kantoor met axe-core op de regels van WCAG 2.1 A en AA. Een ernstige of kritieke fout houdt de wijziging tegen."</li>
                <li>"Alles is met het toetsenbord te bedienen, met een zichtbare focus. Elk invoerveld heeft een label; foutmeldingen staan bij het veld en worden voorgelezen."</li>
                <li>"Knoppen en links zijn minstens 48 pixels hoog, ook met handschoenen in het veld te raken."</li>
                <li>"Kleuren hebben voldoende contrast. Voor fel daglicht is er een buitenweergave met zwart op wit, dikkere randen en grotere letters (knop \"Buitenweergave\" bovenaan)."</li>
                <li>"Status wordt nooit alleen met kleur getoond: er staat altijd ook tekst of een andere vorm bij."</li>
                <li>"Datums staan als DD-MM-JJJJ, getallen met een decimale komma en tijden in Nederlandse tijd."</li>
            </ul>

            <h2>"Wat nog niet voldoet"</h2>
            <ul>
                <li>"De kaarten (de route van de dag en het dagbord) zijn tekeningen. Dezelfde bezoeken staan in de lijst of de tabel ernaast; de punten op de routekaart zijn links met een beschrijving."</li>
                <li>"Foto's die in het veld zijn gemaakt hebben geen beschrijving. De checklistvraag en de notities bij het bezoek zeggen wat erop staat."</li>
                <li>"Het jaarverslag als PDF is nog niet op toegankelijkheid getoetst. De webversie van het jaarverslag heeft dezelfde inhoud."</li>
            </ul>

            <h2>"Een probleem melden"</h2>
            <p>"Lukt iets niet, of is iets niet goed te lezen of te bedienen? Meld het bij de functioneel beheerder van uw omgevingsdienst. U krijgt binnen vijf werkdagen antwoord."</p>

            <p class="muted">"Deze verklaring is opgesteld op "{DRAWN_UP_ON}"."</p>
        </article>
    }
}
