import { parseConfig } from '@cascade/core';
import { z } from 'zod';
import { normalizeForMatching } from '../util/normalize-text';
import { MODERATION_CATEGORIES, type ModerationCategory } from './moderation-category';
import type { ModerateOptions, ModerationResult, Moderator } from './moderator';

interface Rule {
  name: string;
  pattern: RegExp;
  weight: number;
}

const rule = (name: string, source: string, weight: number): Rule => ({ name, pattern: new RegExp(source, 'u'), weight });

// Building blocks (bounded, no nested quantifiers).
const PEOPLE = String.raw`(?:you|him|her|them|people|everyone|somebody|someone|my (?:wife|husband|boss|neighbou?r|teacher|family|dad|mom|mother|father|brother|sister|ex)|the (?:jews?|muslims?|gays?|blacks?|whites?|women|immigrants?))`;
const THREAT_LEAD = String.raw`(?:i(?:'m| am)? (?:going to|gonna|will|'ll|want to|wanna)|i'll|we(?:'re| are)? (?:going to|gonna|will)|let's)`;
const SLURS = String.raw`(?:n[i1]gg(?:er|a|ah|uh)s?|f[a@]gg?(?:ot)?s?|k[i1]kes?|sp[i1]cs?|ch[i1]nks?|wetbacks?|tr[a@]nn(?:y|ies)|dykes?|raghead|sandn[i1]gg\w*|coons?|gooks?|towelheads?)`;
const GROUPS = String.raw`(?:jews?|muslims?|christians?|gays?|lesbians?|trans(?:gender)? people|blacks?|black people|whites?|white people|asians?|mexicans?|immigrants?|arabs?|women|females|hindus?|africans?|chinese|latinos?|homosexuals?)`;
const SEXUAL_TERMS = String.raw`(?:sex(?:ual(?:ly)?)?|porn\w*|nude|naked|fuck(?:ed|ing)?|cock|pussy|dick|penis|vagina|boobs?|tits|cum(?:ming|shot)?|orgasm\w*|horny|blow ?job|handjob|masturbat\w*|erotic\w*|nsfw|anal|dildo|xxx|slut|whore|milf|hentai|threesome|bdsm|stripper)`;
const MINORS = String.raw`(?:child(?:ren)?|kids?|minors?|underage|under-age|preteens?|pre-teens?|little (?:girl|boy)s?|(?:1[0-7]|[5-9])[ -]?(?:yo|year[ -]old)|schoolgirls?|loli\w*|toddlers?|infants?)`;

/** Lexicon rules per category, over normalized text. Benign uses are removed before matching. */
const RULES: Readonly<Record<ModerationCategory, readonly Rule[]>> = {
  harassment: [
    rule('insult-you', String.raw`\byou(?:'re| are|r)? (?:such an? |a |an |so |fucking |fuckin |damn )?(?:stupid|idiot|moron|retard(?:ed)?|worthless|pathetic|ugly|loser|dumb|bitch|cunt|piece of shit|disgusting|trash|garbage|scum|fat)\b`, 0.7),
    rule('insult', String.raw`\b(?:idiot|moron|retard|bitch|cunt|asshole|dickhead|motherfucker|douchebag|twat|wanker|scumbag)s?\b`, 0.45),
    rule('shut-up', String.raw`\b(?:shut (?:the fuck )?up|stfu|go to hell|fuck (?:you|off|u)|screw you|kys)\b`, 0.6),
    rule('nobody-likes', String.raw`\b(?:nobody|no one) (?:likes|loves|cares about) you\b`, 0.6),
  ],
  'harassment/threatening': [
    rule('threat', String.raw`\b${THREAT_LEAD} (?:kill|murder|hurt|shoot|stab|beat|rape|strangle|find) (?:you|u|him|her|them|your)\b`, 0.75),
    rule('death-wish', String.raw`\b(?:i hope you die|you (?:should|deserve to) die|you(?:'re| are) dead|watch your back)\b`, 0.7),
  ],
  hate: [
    rule('slur', String.raw`\b${SLURS}\b`, 0.7),
    rule('dehumanize', String.raw`\b${GROUPS} (?:are|is) (?:all )?(?:animals|vermin|subhuman|parasites|rats|cockroaches|inferior|a disease|scum|filth|savages|disgusting|evil|trash)\b`, 0.75),
    rule('hate-group', String.raw`\b(?:i (?:hate|despise) (?:all )?${GROUPS}|${GROUPS} should (?:all )?(?:die|be (?:killed|deported|exterminated|gassed|banned))|white (?:power|supremacy)|heil hitler|gas the|race war)\b`, 0.75),
  ],
  'hate/threatening': [
    rule('kill-group', String.raw`\b(?:kill|exterminate|gas|lynch|hang|shoot|eliminate) (?:all )?(?:the )?${GROUPS}\b`, 0.75),
    rule('group-die', String.raw`\b${GROUPS} (?:should|must|need to|deserve to) (?:all )?(?:die|be killed|be exterminated|be gassed|be lynched|burn)\b`, 0.75),
  ],
  illicit: [
    rule('make-drugs', String.raw`\b(?:how (?:to|do i|can i) (?:make|cook|synthesi[sz]e|produce)|recipe for) (?:meth|methamphetamine|crack|cocaine|heroin|fentanyl|lsd|mdma)\b`, 0.7),
    rule('buy-illegal', String.raw`\b(?:buy|sell|get) (?:a )?(?:stolen (?:credit cards?|goods)|fake (?:ids?|passports?)|counterfeit (?:money|bills))\b`, 0.6),
  ],
  'illicit/violent': [
    rule('make-weapon', String.raw`\b(?:how (?:to|do i|can i) (?:make|build|assemble)|instructions for) (?:a )?(?:pipe bomb|bomb|explosive|molotov|ghost gun|napalm|nerve gas|ied)\b`, 0.75),
  ],
  'self-harm': [
    rule('suicide-word', String.raw`\b(?:suicid(?:e|al)|self[- ]harm)\b`, 0.4),
    rule('first-person-suicide', String.raw`\b(?:i|i'm|i've|i'd|me|my|myself)\b[^.\n]{0,40}?\b(?:suicid\w*|self[- ]harm\w*)`, 0.6),
    rule('suicide', String.raw`\b(?:i(?:'m| am)? suicidal|kill(?:ing)? myself|end(?:ing)? my (?:own )?life|take my (?:own )?life|want to die|wanna die|cut(?:ting)? myself|hurt(?:ing)? myself|slit(?:ting)? my wrists?|hang myself|overdose on purpose|don'?t want to (?:live|be alive))\b`, 0.7),
    rule('no-point', String.raw`\b(?:no (?:point|reason) (?:in )?living|better off dead|better off without me)\b`, 0.55),
  ],
  'self-harm/intent': [
    rule('intent', String.raw`\b(?:i(?:'m| am)? (?:going to|gonna|want to|will|plan to|thinking (?:about|of)) (?:kill(?:ing)? myself|end(?:ing)? (?:it all|my life)|commit(?:ting)? suicide|cut(?:ting)? myself|hurt(?:ing)? myself))\b`, 0.75),
  ],
  'self-harm/instructions': [
    rule('how-to', String.raw`\b(?:how (?:to|do i|can i|should i)|best way to|painless(?:ly)? (?:way to)?) (?:kill myself|commit suicide|end my life|cut myself|hang myself|overdose)\b`, 0.8),
  ],
  sexual: [
    rule('explicit', String.raw`\b${SEXUAL_TERMS}\b`, 0.5),
    rule('act', String.raw`\b(?:suck(?:ing)? (?:my|his|your) (?:cock|dick)|have sex with|fuck(?:ing)? (?:me|her|him|you)|making love|get laid|sexual intercourse|oral sex)\b`, 0.65),
  ],
  'sexual/minors': [],
  violence: [
    rule('kill-people', String.raw`\b(?:kill(?:ed|ing|s)?|murder(?:ed|ing|s)?|stab(?:bed|bing|s)?|shoot(?:ing|s)?|shot|strangl\w+|behead\w*|tortur\w+|slaughter\w*|massacre\w*) (?:a |the |his |her |my |their )?${PEOPLE}\b`, 0.6),
    // Mentions alone ("the Nanjing massacre", "definition of murder") do not flag; with other signals they add up.
    rule('violent-act', String.raw`\b(?:murder|massacre|genocide|mass shooting|terrorist attack|bomb(?:ing)? (?:a|the)|blow (?:it|them|him|her|the \w+) up|beat(?:ing)? (?:him|her|them|you) (?:up|to death)|assault(?:ed)?|rape[ds]?|raping)\b`, 0.35),
    rule('weapon-intent', String.raw`\b(?:gun (?:them|him|her|you) down|shoot up (?:a|the|my) \w+|stab(?:bing)? (?:him|her|them|you))\b`, 0.7),
  ],
  'violence/graphic': [
    rule('gore', String.raw`\b(?:gore|gory|dismember\w*|disembowel\w*|decapitat\w*|mutilat\w*|entrails|guts spilled|blood (?:everywhere|spurting|gushing|splatter\w*)|brains? (?:splattered|blown out)|skinned alive|burned alive)\b`, 0.6),
  ],
};

/**
 * Framing that makes violent words informational or fictional (definitions, history, games,
 * fiction): violence and self-harm scores are halved when it is present.
 */
const FRAMING = new RegExp(
  String.raw`\b(?:(?:what|who) (?:is|was|are|were)(?: the)?(?: definition of| meaning of)?|definition of|meaning of|what constitutes|what happened (?:in|during|at|to)|history of|historical|in (?:a|my|the|this|your) (?:novel|story|book|movie|film|game|video game|tv show|show|play|screenplay|script)|for (?:a|my|the) (?:novel|story|book|movie|film|game|tv show|show|play)|call of duty|battlefield|fortnite|minecraft|gta|counter-strike|video game|board game|chess)\b`,
  'u',
);

/** Benign idioms removed before matching: "kill a Python process", "shoot a photo", "my killer app". */
const BENIGN = new RegExp(
  [
    String.raw`\b(?:kill|killing|kills|terminate|terminating|end|ending|stop|stopping|execute|executing|shoot|shooting|attack(?:ing)?|murder(?:ing)?|nuke|nuking|slay|slaying|destroy(?:ing)?|crush(?:ing)?|beat(?:ing)?|bomb(?:ing|ed)?) (?:a |an |the |my |this |that |all |some |your |his |her |their |these |those )?(?:\w+ )?(?:process(?:es)?|task|tasks|job|jobs|thread|threads|program|programs|app|apps|application|server|container|pod|session|command|script|query|queries|daemon|service|engine|lights?|time|mood|conversation|photos?|pictures?|video|film|movie|scene|hoops|breeze|plan|order|orders|contract|deal|exam|test|interview|presentation|competition|game|level|boss|weeds?|bugs?|germs|bacteria|mosquito(?:es)?|flies|pests?|fish|vector|surface|problem|it|goal|shot|idea|audition|performance)\b`,
    String.raw`\b(?:murder of crows|killer (?:app|feature|deal|look|workout|idea|smile)|kill it|killing it|killed it|to die for|dying to (?:know|see|try|go)|photo ?shoot|shoot(?:ing)? (?:for|from) the stars|crack (?:a|the) (?:joke|code|case|egg|window)|blow(?:ing)? (?:out|up) (?:the )?(?:candles?|balloons?)|sex(?:ual)? (?:education|health|orientation|harassment|assault awareness|discrimination)|sex of (?:the|a|my|your)|same[- ]sex|bisexual|asexual|homosexual(?:ity)?|breast (?:cancer|feeding|milk)|essex|sussex|middlesex|sexton|dickens|cockpit|cocktail|peacock|hancock|shuttlecock|scunthorpe)\b`,
  ].join('|'),
  'gu',
);

/** Configuration of the local moderator. */
export const localModeratorConfigSchema = z.object({
  /** Score at or above which a category is flagged. @default 0.5 */
  threshold: z.number().min(0).max(1).default(0.5),
});

/** Local moderator config as callers write it. */
export type LocalModeratorConfig = z.input<typeof localModeratorConfigSchema>;

/**
 * The local moderation baseline: no network, no model. Lexicon rules per OpenAI category over text
 * normalized against obfuscation (leetspeak, spacing, invisible characters, repeated letters), with
 * benign idioms ("kill a Python process", "shoot a photo") removed first. Scores combine matched
 * rules as a noisy-or; a parent category takes the maximum of its children.
 *
 * @example
 * const moderator = createLocalModerator();
 * (await moderator.moderate('I will k1ll y0u')).categories['harassment/threatening']; // true
 */
export function createLocalModerator(config: LocalModeratorConfig = {}): Moderator {
  const { threshold } = parseConfig(localModeratorConfigSchema, config, 'local moderator config');
  return {
    name: 'local',
    moderate(text: string, _options: ModerateOptions = {}): Promise<ModerationResult> {
      return Promise.resolve(moderateLocally(text, threshold));
    },
  };
}

/** Synchronous core of the local moderator (also used by the bench). */
export function moderateLocally(text: string, threshold = 0.5): ModerationResult {
  const normalized = normalizeForMatching(text).replace(BENIGN, ' ');
  const scores = {} as Record<ModerationCategory, number>;
  const signals: Partial<Record<ModerationCategory, string[]>> = {};
  for (const category of MODERATION_CATEGORIES) {
    let keep = 1;
    for (const { name, pattern, weight } of RULES[category]) {
      if (pattern.test(normalized)) {
        keep *= 1 - weight;
        (signals[category] ??= []).push(name);
      }
    }
    scores[category] = Math.round((1 - keep) * 100) / 100;
  }
  if (FRAMING.test(normalized)) {
    for (const category of ['violence', 'violence/graphic', 'self-harm'] as const) scores[category] = Math.round(scores[category] * 50) / 100;
  }
  // Sexual content involving minors: both a sexual term and a minor term in the same text.
  if (scores.sexual > 0 && new RegExp(String.raw`\b${MINORS}\b`, 'u').test(normalized)) {
    scores['sexual/minors'] = Math.max(scores.sexual, 0.6);
    signals['sexual/minors'] = ['sexual-and-minor'];
  }
  // Children imply parents.
  scores.harassment = Math.max(scores.harassment, scores['harassment/threatening']);
  scores.hate = Math.max(scores.hate, scores['hate/threatening']);
  scores.violence = Math.max(scores.violence, scores['harassment/threatening'], scores['hate/threatening'], scores['illicit/violent'], scores['violence/graphic'] * 0.8);
  scores['self-harm'] = Math.max(scores['self-harm'], scores['self-harm/intent'], scores['self-harm/instructions']);
  scores.sexual = Math.max(scores.sexual, scores['sexual/minors']);
  scores.illicit = Math.max(scores.illicit, scores['illicit/violent']);
  const categories = {} as Record<ModerationCategory, boolean>;
  let flagged = false;
  for (const category of MODERATION_CATEGORIES) {
    categories[category] = scores[category] >= threshold;
    flagged ||= categories[category];
  }
  const flaggedSignals: Partial<Record<ModerationCategory, readonly string[]>> = {};
  for (const category of MODERATION_CATEGORIES) if (categories[category] && signals[category]) flaggedSignals[category] = signals[category];
  return { flagged, categories, scores, provider: 'local', signals: flaggedSignals };
}
