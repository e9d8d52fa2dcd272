/**
 * Word lists of postal-address structure for the STREET_ADDRESS scanner: street types (USPS
 * Publication 28 suffixes and their European counterparts), secondary-unit designators, US state
 * codes and names. General postal vocabulary, not taken from any data set.
 */

/** Street types written after the name (English and a few others). */
export const SUFFIX_TYPES: ReadonlySet<string> = new Set([
  'street', 'st', 'avenue', 'ave', 'av', 'road', 'rd', 'lane', 'ln', 'boulevard', 'blvd', 'drive', 'dr', 'way', 'court', 'ct',
  'place', 'pl', 'square', 'sq', 'terrace', 'ter', 'parkway', 'pkwy', 'highway', 'hwy', 'circle', 'cir', 'trail', 'trl', 'crescent',
  'close', 'grove', 'gardens', 'row', 'walk', 'mews', 'alley', 'plaza', 'loop', 'pike', 'route', 'rte', 'expressway', 'freeway',
  'turnpike', 'ridge', 'hill', 'hills', 'park', 'green', 'heights', 'crossing', 'point', 'landing', 'path', 'pass', 'estates', 'manor',
  'vale', 'view', 'wharf', 'quay', 'strasse', 'straße', 'str', 'weg', 'gasse', 'allee', 'platz', 'ring', 'straat', 'laan', 'vej',
  'gade', 'gata', 'gatan', 'vägen', 'väg', 'vei', 'veien', 'gate', 'tie', 'katu', 'utca', 'út', 'tér', 'odos', 'leoforos',
  'cv', 'cove', 'pt', 'pkway', 'cres', 'crt', 'tce', 'fwy', 'expy', 'tpke', 'sr', 'esplanade', 'promenade', 'embankment', 'broadway',
  'causeway', 'byway', 'junction', 'jct',
]);
/** Street types written before the name. */
export const PREFIX_TYPES: ReadonlySet<string> = new Set([
  'rue', 'avenue', 'av', 'avenida', 'via', 'viale', 'piazza', 'corso', 'calle', 'carrer', 'paseo', 'plaza', 'rua', 'praça', 'travessa',
  'largo', 'boulevard', 'bd', 'chemin', 'allée', 'place', 'route', 'quai', 'impasse', 'ulica', 'ul', 'strada', 'aleja', 'al', 'ulitsa',
  'odos', 'leoforos', 'jalan', 'jl', 'highway', 'hwy', 'rte', 'camino', 'carretera', 'ronda', 'rambla', 'travesía', 'vicolo', 'stradă',
  'bulevardul', 'cesta', 'passeig', 'avinguda', 'alameda', 'estrada', 'rodovia', 'lungomare', 'contrada', 'località', 'sentiero', 'plac',
  'osiedle', 'prospekt', 'naberezhnaya', 'pereulok', 'cours', 'sentier', 'square',
]);
/** Types that take a route number ("Highway 22", "State Road 75", "Route # A"). */
export const NUMBERED_TYPES: ReadonlySet<string> = new Set(['highway', 'hwy', 'route', 'rte', 'road', 'rd', 'sr', 'fm', 'interstate', 'freeway', 'fwy', 'expressway', 'turnpike', 'pike', 'rr', 'hc', 'cr', 'box']);
/** Endings of one-word street names ("Friedhofstrasse", "Gesterbyntie", "Storgatan"). */
export const COMPOUND_SUFFIXES: readonly string[] = [
  'strasse', 'straße', 'str', 'gasse', 'weg', 'allee', 'platz', 'ring', 'damm', 'ufer', 'steig', 'vej', 'gade', 'gata', 'gatan', 'vägen',
  'väg', 'veien', 'vei', 'gate', 'tie', 'katu', 'kuja', 'polku', 'laan', 'straat', 'plein', 'gracht', 'kade', 'dreef', 'utca', 'stræde',
  'stig', 'torg', 'torget', 'bakken', 'steeg', 'singel', 'chaussee', 'zeile', 'graben', 'stieg',
];
/** Prefix types that are ordinary English words in lower case ("sent via DHL"): they count only capitalized. */
export const ENGLISH_PREFIX_TYPES: ReadonlySet<string> = new Set(['via', 'al', 'ul', 'av', 'bd', 'jl', 'place', 'route', 'square', 'plaza', 'highway', 'hwy', 'rte', 'avenue', 'boulevard', 'cours', 'largo', 'ronda', 'odos']);
/** Words before a unit number that may follow a street ("Apt. 4", "Suite 510", "3rd Floor"). */
export const UNIT_WORDS: ReadonlySet<string> = new Set([
  'apt', 'apartment', 'suite', 'ste', 'unit', 'floor', 'fl', 'room', 'rm', 'flat', 'bldg', 'building', 'dept', 'box', 'flr', 'étage',
  'piso', 'wohnung', 'whg', 'lgh', 'lot', 'space', 'spc', 'trlr', 'ofc', 'office', 'hngr', 'pier', 'slip', 'stop', 'bsmt', 'ph',
  'penthouse', 'no', 'nr', 'num', 'appt', 'app', 'bus', 'puerta', 'escalera', 'esc', 'porta', 'int', 'interno', 'scala', 'block',
  'blk', 'level', 'lvl', 'stage', 'tür', 'stiege',
]);
/** Unit designators that mark a secondary address line even on their own ("Apt. 4B", "Suite 1500"). */
export const STANDALONE_UNITS: ReadonlySet<string> = new Set(['apt', 'apartment', 'suite', 'ste', 'flat', 'appt', 'wohnung', 'whg']);
/** Words before a box number (the box form of an address). */
export const BOX_WORDS: ReadonlySet<string> = new Set(['box', 'postfach', 'bp', 'psc', 'cp', 'apartado', 'caixa', 'casilla']);
/** Directions, and the words that qualify a street name like one ("Old", "Upper"). */
export const DIRECTIONS: ReadonlySet<string> = new Set([
  'n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw', 'north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast', 'southwest',
  'old', 'new', 'upper', 'lower', 'great', 'little',
]);
/** Compass directions only: a number, a direction and a name are a street even without a type ("55 West Cermak"). */
export const COMPASS: ReadonlySet<string> = new Set(['n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw', 'north', 'south', 'east', 'west', 'northeast', 'northwest', 'southeast', 'southwest']);
/** Lower-case words inside street and city names. */
export const CONNECTORS: ReadonlySet<string> = new Set([
  'de', 'del', 'della', 'la', 'le', 'les', 'du', 'des', 'da', 'do', 'dos', 'das', 'di', 'of', 'the', 'van', 'von', 'der', 'den', 'am', 'an',
  'im', 'zum', 'zur', 'y', 'e', "d'", "l'", 'on', 'upon', 'sur', 'en', 'bei',
]);
/** US state, district and territory codes, Canadian province codes (written after a city). */
export const REGION_CODES: ReadonlySet<string> = new Set([
  'al', 'ak', 'az', 'ar', 'ca', 'co', 'ct', 'de', 'fl', 'ga', 'hi', 'id', 'il', 'in', 'ia', 'ks', 'ky', 'la', 'me', 'md', 'ma', 'mi', 'mn',
  'ms', 'mo', 'mt', 'ne', 'nv', 'nh', 'nj', 'nm', 'ny', 'nc', 'nd', 'oh', 'ok', 'or', 'pa', 'ri', 'sc', 'sd', 'tn', 'tx', 'ut', 'vt', 'va',
  'wa', 'wv', 'wi', 'wy', 'dc', 'pr', 'gu', 'vi', 'as', 'mp', 'aa', 'ae', 'ap', 'ab', 'bc', 'mb', 'nb', 'nl', 'ns', 'nt', 'nu', 'on', 'pe',
  'qc', 'sk', 'yt',
]);
/** US state names (last word, lower case): "Georgia 30024", "New York 10017". */
export const STATE_NAMES: ReadonlySet<string> = new Set([
  'alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida', 'georgia', 'hawaii', 'idaho',
  'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine', 'maryland', 'massachusetts', 'michigan', 'minnesota',
  'mississippi', 'missouri', 'montana', 'nebraska', 'nevada', 'hampshire', 'jersey', 'mexico', 'york', 'carolina', 'dakota', 'ohio',
  'oklahoma', 'oregon', 'pennsylvania', 'island', 'tennessee', 'texas', 'utah', 'vermont', 'virginia', 'washington', 'wisconsin',
  'wyoming', 'columbia', 'rico', 'guam',
]);
/** Month and weekday names: "10 October 2010" is a date, not number + street name + postcode. */
export const CALENDAR_WORDS: ReadonlySet<string> = new Set([
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'monday', 'tuesday', 'wednesday', 'thursday',
  'friday', 'saturday', 'sunday', 'mon', 'tue', 'tues', 'wed', 'thu', 'thurs', 'fri', 'sat', 'sun', 'januar', 'februar', 'märz', 'juni',
  'juli', 'oktober', 'dezember', 'janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre',
  'novembre', 'décembre', 'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre',
  'diciembre', 'mei', 'agustus', 'desember', 'januari', 'februari', 'maret', 'juni', 'juli', 'oktober', 'today', 'tonight', 'tomorrow',
  'yesterday', 'am', 'pm', 'hrs', 'hours', 'mins', 'minutes', 'years', 'days', 'weeks', 'months',
]);
/** Street types that end a street written in lower case ("430 webster st"): abbreviations English prose does not use after a number. */
export const LOWER_CASE_TYPES: ReadonlySet<string> = new Set(['st', 'ave', 'av', 'rd', 'blvd', 'dr', 'ln', 'ct', 'pl', 'hwy', 'pkwy', 'cir', 'ter', 'trl', 'sq', 'expy', 'fwy']);
/** Words that do not name a street in lower case: "3 more st", "a 10 minute dr". */
export const LOWER_CASE_STOPS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'of', 'and', 'or', 'to', 'in', 'on', 'at', 'for', 'by', 'with', 'from', 'my', 'your', 'our', 'their', 'his', 'her',
  'its', 'this', 'that', 'these', 'those', 'min', 'mins', 'minute', 'minutes', 'mile', 'miles', 'km', 'hour', 'hours', 'more', 'other',
  'is', 'are', 'was', 'were', 'be', 'it', 'i', 'you', 'we', 'they', 'he', 'she', 'times', 'years', 'days', 'people',
]);
