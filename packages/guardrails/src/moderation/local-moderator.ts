import { parseConfig } from '@cascade/core';
import { z } from 'zod';
import { normalizeForFeatures } from '../classifier/normalize-for-features';
import type { LoadedClassifier } from '../classifier/weights-codec';
import { moderationCategoryProbabilities, moderationClassifier } from '../classifier/shipped-classifiers';
import { normalizeForMatching } from '../util/normalize-text';
import { asTwoByte } from '../util/eager-regexp';
import { createGatedPatterns, type PatternSource } from '../util/gated-patterns';
import { requireText } from '../util/require-input';
import { GROUPS, GROUPS_NEAR, GROUP_DEGRADING, HOSTILE_WORDS, IDENTITIES, INSULT_ADJECTIVES, INSULT_FILLER, INSULT_NOUNS, INSULT_NOUNS_ADDRESS, SLURS, VICTIM, VIOLENCE_WORDS, VIOLENT_VERBS } from './abuse-lexicon';
import { isCounterSpeech } from './counter-speech';
import { LEXICON_LITERALS } from './lexicon-literals';
import { MODERATION_CATEGORIES, moderationCategorySchema, type ModerationCategory } from './moderation-category';
import { MULTILINGUAL, NON_LATIN_SCRIPT, type MultilingualPattern } from './multilingual-lexicon';
import type { ModerateOptions, ModerationResult, Moderator } from './moderator';
import { twoStepRule, type TwoStepRule } from './two-step-rule';

interface Rule {
  name: string;
  /** Index of the rule's pattern in the gated lexicon (compiled only when its literals occur). */
  pattern: number;
  weight: number;
  /** A mention that informational framing (definitions, history, games) halves, whatever the category. */
  mention?: boolean;
  /** Profanity that sexual text uses as sexual vocabulary ("fuck you", "dirty girls"): skipped when the text is sexual. */
  profane?: boolean;
  /** Tested only when this matches the text (a script the pattern is written in). */
  present?: RegExp;
  /** Tested on the two-byte copy of the text (the large multilingual patterns). */
  wide?: boolean;
  /** Tested in two steps instead of compiling `pattern` (same result, a fraction of the compile time). */
  twoStep?: TwoStepRule;
}

/** Every lexicon regex, in one gated list: a regex is compiled and run only when its required literals occur. */
const SOURCES: PatternSource[] = [];
const register = (source: string, flags = 'u'): number => SOURCES.push({ source, flags }) - 1;
const rule = (name: string, source: string, weight: number, options: { mention?: boolean; profane?: boolean } = {}): Rule => ({ name, pattern: register(source), weight, ...options });
const twoStep = (name: string, matcher: TwoStepRule, weight: number): Rule => ({ name, pattern: register(matcher.source), weight, twoStep: matcher });
/** Rules for the other languages: one per script, each run only when its script is in the text. */
const rules = (name: string, patterns: readonly MultilingualPattern[], weight: number, options: { profane?: boolean } = {}): Rule[] =>
  patterns.map(({ source, present }) => ({ ...rule(name, source, weight, options), wide: true, ...(present ? { present } : {}) }));

/**
 * V8 compiles a regexp separately for one-byte (Latin-1) and two-byte strings and, while tiering
 * up, recompiles it when the two alternate: cheap for the English rules, costly for the large
 * multilingual ones. Those always see a two-byte copy of the text, ended by a paragraph separator
 * (whitespace to `\s`, so an end-of-clause lookahead still accepts it).
 */
const WIDE_END = '\u2029';

// Building blocks (bounded, no nested quantifiers); the longer word lists live in abuse-lexicon.ts.
const THREAT_LEAD = String.raw`(?:i(?:'m| am)? (?:going to|gonna|will|want to|wanna|am going to|about to)|i'll|ima|imma|i'm going to|we(?:'re| are)? (?:going to|gonna|will)|we'll|let's)`;
const YOU_ARE = String.raw`(?:you(?:'re| are|re| r)|ur|u r|u are|your(?= (?:a|an|such|so|the|just|nothing) ))`;
const SEXUAL_TERMS = String.raw`(?:sex(?:ual(?:ly)?)?|porn\w*|nude|naked|fuck(?:ed|ing)?|cock|pussy|dick|penis|vagina|boobs?|tits|cum(?:ming|shot)?|orgasm\w*|horny|blow ?job|handjob|masturbat\w*|erotic\w*|nsfw|anal|dildo|xxx|slut|whore|milf|hentai|threesome|bdsm|stripper)`;
const MINORS = String.raw`(?:child(?:ren)?|kids?|minors?|underage|under-age|preteens?|pre-teens?|little (?:girl|boy)s?|(?:1[0-7]|[5-9])[ -]?(?:yo|year[ -]old)|schoolgirls?|loli\w*|toddlers?|infants?)`;
/** Sexual vocabulary that is not also everyday profanity ("fuck", "dick", "bitch" are left out). */
const SEXUAL_CONTEXT = register(String.raw`\b(?:sex|sexual(?:ly)?|sexy|porn\w*|nude|naked|penis|vagina|pussy|cock|clit\w*|nipples?|boobs?|tits|breasts|cum(?:ming|shot)?|orgasm\w*|horny|moan(?:ed|ing|s)?|blow ?job|handjob|masturbat\w*|erotic\w*|nsfw|anal|dildo|xxx|milf|hentai|threesome|bdsm|stripper|aroused|lick(?:ed|ing)? (?:my|her|his|your)|suck(?:ed|ing)? (?:my|her|his|your))\b`);
const MINOR = register(String.raw`\b${MINORS}\b`);
const BODY_PART = String.raw`(?:head|face|throat|neck|chest|heart|gut|guts|stomach|belly|back|eyes?|skull|balls|groin|mouth|teeth|knees?|kneecaps?|legs?|arms?|spine|ribs?|jaw|nose|brain|temple|crotch)`;

/** Lexicon rules per category, over normalized text. Benign uses are removed before matching. */
const RULES: Readonly<Record<ModerationCategory, readonly Rule[]>> = {
  harassment: [
    rule('insult-you', String.raw`\b${YOU_ARE} (?:${INSULT_FILLER} ){0,3}(?:${INSULT_ADJECTIVES}|${INSULT_NOUNS})\b`, 0.7),
    rule('insult-address', String.raw`\byou (?:${INSULT_FILLER} ){0,3}${INSULT_NOUNS_ADDRESS}s?\b`, 0.7, { profane: true }),
    rule('insult-third-person', String.raw`\b(?:he|she|they|this (?:guy|girl|woman|man|dude|bitch|idiot)|that (?:guy|girl|woman|man|dude|bitch|idiot)|your (?:mom|mother|mama|sister|wife|girlfriend|dad|father|family)|ur (?:mom|mum|mama))(?:'s| is| are|'re| was| were| r) (?:${INSULT_FILLER} ){0,3}(?:${INSULT_NOUNS_ADDRESS}|${INSULT_ADJECTIVES})\b`, 0.55),
    rule('insult-near-you', String.raw`\b(?:you|u|your|ur|you're|youre)\b[^.!?\n]{0,40}?\b${INSULT_NOUNS_ADDRESS}s?\b`, 0.45, { profane: true }),
    rule('insult', String.raw`\b(?:idiot|moron|retard|bitch|cunt|asshole|dickhead|motherfucker|douchebag|twat|wanker|scumbag|cocksucker|dipshit|dumbass|shithead|fuckface|skank)s?\b`, 0.45, { profane: true }),
    rule('shut-up', String.raw`\b(?:shut (?:the fuck |your (?:fucking |stupid |dumb )?(?:mouth|face|trap|pie ?hole) )?up|stfu|gtfo|go to hell|fuck (?:you|off|u|ya|yourself|urself|this guy|that guy)|screw you|kys|go (?:fuck|kill|hang) (?:yourself|urself|your ?self)|eat (?:shit|a dick)|suck my (?:dick|cock|balls)|kiss my ass|piss off|get fucked|rot in hell|burn in hell|die in a fire)\b`, 0.6, { profane: true }),
    rule('nobody-likes', String.raw`\b(?:(?:nobody|no one) (?:likes|loves|cares about|wants) you|(?:nobody|no one) (?:would|will) (?:miss|care about|cry for|love) you|the world (?:would be|is|will be) better (?:off )?without you|do (?:us|everyone|the world) a favou?r and (?:die|kill yourself|disappear|leave)|you (?:should|need to|ought to) (?:just )?(?:die|kill yourself|end yourself|drink bleach|jump off)|you don'?t deserve to (?:live|exist|be alive)|you should(?:n'?t| not) (?:have been born|exist))\b`, 0.65),
    // Other languages (multilingual-lexicon.ts): insults aimed at the addressee, abusive phrases, bare insult words.
    ...rules('insult-you-ml', MULTILINGUAL.insultYou, 0.7, { profane: true }),
    ...rules('abuse-ml', MULTILINGUAL.abuse, 0.6, { profane: true }),
    ...rules('insult-ml', MULTILINGUAL.insultBare, 0.45, { profane: true }),
    rule('sexual-harassment', String.raw`\b(?:(?:show me|send me|let me see|flash me) (?:your |ur |some |those |them )?(?:tits|boobs|titties|nudes|pussy|dick|cock|ass|naked)|i(?:'d| would| want to| wanna|'m going to|'m gonna| will|'ll) (?:fuck|bang|rape|grope|molest|screw|smash|pound) (?:you|u|her|your|that)|(?:sit|bounce) on my (?:face|dick|cock)|nice (?:tits|ass|rack)|suck (?:on )?my (?:dick|cock|balls|tits))\b`, 0.65),
  ],
  'harassment/threatening': [
    ...rules('threat-ml', MULTILINGUAL.threat, 0.75),
    rule('threat', String.raw`\b${THREAT_LEAD} (?:kill|murder|shoot|stab|rape|strangle|choke|slaughter|butcher|torture|behead|decapitate|lynch|drown|shank|assassinate|maim|mutilate|dismember|castrate|suffocate|bludgeon|gun down|run over|hurt|punch|end|find and kill|beat the shit out of|beat the hell out of) (?:you|u|ya|him|her|them|that (?:bitch|bastard|fucker|guy)|this (?:bitch|bastard|fucker|guy)|you all|y'all|everyone|every one of you|all of you|(?:your|ur|his|their) (?:family|kids?|wife|husband|mom|mother|dad|father|children|son|daughter|girlfriend|boyfriend|sister|brother|dog|cat|whole family|ass))\b`, 0.75),
    rule('death-wish', String.raw`\b(?:i hope (?:you|u|he|she|they) (?:die|dies|get (?:cancer|raped|killed|shot|hit by a \w+|aids)|gets (?:cancer|raped|killed|shot)|rot|burn|suffer|choke)|you (?:should|deserve to) die|you(?:'re| are) (?:dead|a dead man|going to die|gonna die)|watch your back|(?:i|we) know where you live|your days are numbered|i(?:'m| am) coming (?:for|after) you|i(?:'ll| will) (?:find|hunt) you (?:down|and)|i(?:'ll| will) make you (?:pay|suffer|bleed|regret)|you(?:'ll| will) (?:pay for this|regret this|be sorry)|(?:put|pump|bullets?) (?:a bullet |one |lead )?(?:in|into|through) (?:your|ur|his|her|their) (?:head|skull|brain|face|chest))\b`, 0.7),
  ],
  hate: [
    rule('slur', String.raw`\b${SLURS}\b`, 0.7),
    ...rules('slur-ml', MULTILINGUAL.slur, 0.7),
    ...rules('dehumanize-ml', MULTILINGUAL.dehumanize, 0.75),
    rule('dehumanize', String.raw`\b(?:${GROUPS}|${IDENTITIES}) (?:are|is|r|were) (?:(?:all|just|nothing but|so|too|such|a bunch of|bunch of|fucking|naturally|inherently|genetically|basically|literally|always|really|more|the most|mostly|all just|a|an|like) ){0,3}${GROUP_DEGRADING}\b`, 0.75),
    rule('hate-group', String.raw`\b(?:(?:i|we) (?:hate|despise|can'?t stand|loathe|detest) (?:all |those |these |the |fucking |you )?${GROUPS}|(?:fuck|death to|down with|kill all|gas) (?:all |the |fucking |those |these ){0,2}${GROUPS}|${GROUPS} should (?:all )?(?:die|be (?:killed|deported|exterminated|gassed|banned|sterili[sz]ed|locked up|rounded up|sent back|kicked out|segregated|enslaved|put down|wiped out|eradicated|castrated|shot)|go back (?:to|where)|get out of (?:our|this|my) country|not (?:be allowed to|have (?:rights|the right))|stay in the kitchen|know their place)|${GROUPS} (?:don'?t|do not) (?:belong|deserve (?:rights|to live|to vote))|go back to (?:your|their) (?:own )?(?:country|countries|homeland|africa|mexico|jungle|cave|desert)|heil hitler|sieg heil|hitler was right|gas the|race war|1488|zionist occupied|god hates fags|(?:women|females|girls) (?:belong|should stay) in the kitchen|holocaust (?:never happened|didn'?t happen|was (?:a )?(?:hoax|lie|fake|myth|exaggerated)|is a (?:hoax|lie|myth))|(?:jews|the jews|jewish people) (?:control|own|run) (?:the |our )?(?:media|banks|world|government|hollywood|money)|trans (?:women|woman) (?:are|is) (?:just |really )?(?:men|a man|not (?:real )?women)|trans (?:men|man) (?:are|is) (?:just |really )?(?:women|a woman|not (?:real )?men))\b`, 0.75),
    rule('group-hostile', String.raw`\b${GROUPS_NEAR}\b[^.!?\n]{0,60}?\b${HOSTILE_WORDS}\b|\b${HOSTILE_WORDS}\b[^.!?\n]{0,40}?\b${GROUPS_NEAR}\b`, 0.5),
    rule('group-profane', String.raw`\b(?:fuck(?:ing|in)?|shit(?:ty)?|dirty|ugly|sick) ${GROUPS_NEAR}\b|\b${GROUPS_NEAR}\b[^.!?\n]{0,40}?\b(?:fuck(?:ing|in)?|shit(?:ty)?|dirty|ugly|sick)\b`, 0.5, { profane: true }),
    rule('supremacy', String.raw`\b(?:white (?:power|supremacy|pride|genocide)|master race|inferior races?|racial purity|race mixing|mongrel race|the great replacement|14 words|ethnic cleansing)\b`, 0.6, { mention: true }),
  ],
  'hate/threatening': [
    ...rules('kill-group-ml', MULTILINGUAL.killGroup, 0.75),
    rule('kill-group', String.raw`\b(?:kill|exterminate|gas|lynch|hang|shoot|eliminate|wipe out|eradicate|slaughter|massacre|get rid of|round up|burn|nuke|bomb|deport) (?:all |every |those |these |the |fucking ){0,2}${GROUPS}\b`, 0.75),
    rule('group-die', String.raw`\b${GROUPS} (?:should|must|need to|deserve to|ought to) (?:all )?(?:die|be killed|be exterminated|be gassed|be lynched|be shot|be hanged|be wiped out|burn|hang)\b`, 0.75),
  ],
  illicit: [
    rule('make-drugs', String.raw`\b(?:how (?:to|do i|can i) (?:make|cook|synthesi[sz]e|produce)|recipe for) (?:meth|methamphetamine|crack|cocaine|heroin|fentanyl|lsd|mdma)\b`, 0.7),
    rule('buy-illegal', String.raw`\b(?:buy|sell|get) (?:a )?(?:stolen (?:credit cards?|goods)|fake (?:ids?|passports?)|counterfeit (?:money|bills))\b`, 0.6),
  ],
  'illicit/violent': [
    rule('make-weapon', String.raw`\b(?:how (?:to|do i|can i) (?:make|build|assemble)|instructions for) (?:a )?(?:pipe bomb|bomb|explosive|molotov|ghost gun|napalm|nerve gas|ied)\b`, 0.75),
  ],
  'self-harm': [
    ...rules('suicide-ml', MULTILINGUAL.selfHarm, 0.7),
    rule('suicide-word', String.raw`\b(?:suicid(?:e|al)|self[- ]harm)\b`, 0.4),
    rule('first-person-suicide', String.raw`\b(?:i|i'm|i've|i'd|me|my|myself)\b[^.\n]{0,40}?\b(?:suicid\w*|self[- ]harm\w*)`, 0.6),
    rule('suicide', String.raw`\b(?:i(?:'m| am)? suicidal|kill(?:ing)? myself|end(?:ing)? my (?:own )?life|take my (?:own )?life|want to die|wanna die|cut(?:ting)? myself|hurt(?:ing)? myself|slit(?:ting)? my wrists?|hang myself|overdose on purpose|don'?t want to (?:live|be alive))\b`, 0.7),
    rule('no-point', String.raw`\b(?:no (?:point|reason) (?:in )?(?:living|to live|being alive)|better off dead|better off without me|(?:wish|want) (?:i was|i were|to be) dead|wish i (?:was|were|had) never (?:been )?born|tired of (?:living|being alive)|can'?t (?:go on|do this) any ?more|end it all)\b`, 0.55),
    rule('self-injury', String.raw`\b(?:starv(?:e|ing) myself|make myself (?:throw up|vomit|puke)|burn(?:ing|ed)? myself|pro[- ]?ana|thinspo\w*|razors? (?:on|across|to) my (?:wrists?|arms?|thighs?|skin)|scars? on my (?:wrists?|arms?|thighs?)|jump(?:ing)? (?:off|from) (?:a|the) (?:bridge|building|roof|cliff) (?:and die|to die|to end)|pills to (?:end|die|kill)|slit(?:ting)? my (?:wrists?|throat))\b`, 0.6),
  ],
  'self-harm/intent': [
    ...rules('intent-ml', MULTILINGUAL.selfHarmIntent, 0.75),
    rule('intent', String.raw`\b(?:i(?:'m| am)? (?:going to|gonna|want to|will|plan to|thinking (?:about|of)) (?:kill(?:ing)? myself|end(?:ing)? (?:it all|my life)|commit(?:ting)? suicide|cut(?:ting)? myself|hurt(?:ing)? myself))\b`, 0.75),
  ],
  'self-harm/instructions': [
    rule('how-to', String.raw`\b(?:how (?:to|do i|can i|should i)|best way to|painless(?:ly)? (?:way to)?) (?:kill myself|commit suicide|end my life|cut myself|hang myself|overdose)\b`, 0.8),
  ],
  sexual: [
    rule('explicit', String.raw`\b${SEXUAL_TERMS}\b`, 0.5),
    rule('act', String.raw`\b(?:suck(?:ing)? (?:my|his|your) (?:cock|dick)|have sex with|fuck(?:ing)? (?:me|her|him|you)|making love|get laid|sexual intercourse|oral sex)\b`, 0.65),
  ],
  // English is scored below (a sexual rule plus a minor term); other languages need both terms in one sentence.
  'sexual/minors': rules('sexual-minor-ml', MULTILINGUAL.sexualMinors, 0.8),
  violence: [
    twoStep('kill-person', twoStepRule(String.raw`(?:kill(?:ed|ing|s)?|murder(?:ed|ing|s)?|stab(?:bed|bing|s)?|shoot(?:ing|s)?|shot|strangl\w+|behead\w*|tortur\w+|slaughter\w*|massacre\w*|lynch(?:ed|ing)?|suffocat\w+)`, [], String.raw`(?:you|u|him|her|them|that (?:bitch|bastard|guy|man|woman|girl|boy|kid|fucker|asshole|cop|traitor)|(?:my|his|your) (?:wife|husband|boss|neighbou?r|teacher|family|dad|mom|mother|father|brother|sister|ex|girlfriend|boyfriend|son|daughter|baby|roommate|landlord))`), 0.6),
    twoStep('kill-people', twoStepRule(String.raw`(?:kill(?:ed|ing|s)?|murder(?:ed|ing|s)?|stab(?:bed|bing|s)?|shoot(?:ing|s)?|shot|strangl\w+|behead\w*|tortur\w+|slaughter\w*|massacre\w*|lynch(?:ed|ing)?|execut(?:ed|ing)|drown(?:ed|ing)?|suffocat\w+)`, ['a ', 'the ', 'his ', 'her ', 'my ', 'their ', 'all ', 'some '], VICTIM), 0.45),
    // Mentions alone ("the Nanjing massacre", "definition of murder") do not flag; with other signals they add up.
    rule('violent-act', String.raw`\b(?:murder|massacre|genocide|mass shooting|terrorist attack|bomb(?:ing)? (?:a|the)|blow (?:it|them|him|her|the \w+) up|beat(?:ing)? (?:him|her|them|you) (?:up|to death)|assault(?:ed)?|rape[ds]?|raping)\b`, 0.35),
    rule('weapon-intent', String.raw`\b(?:gun(?:ned|ning)? (?:them|him|her|you|people|everyone|everybody|down)|shoot(?:ing)? up (?:a|the|my|our|his|her|this) (?:school|church|mosque|synagogue|temple|mall|office|concert|class|classroom|workplace|party|club)|stab(?:bing)? (?:him|her|them|you))\b`, 0.7),
    rule('beat-severely', String.raw`\bbeat(?:s|en|ing)?\b[^.\n]{0,30}?\b(?:to death|to a pulp|senseless|unconscious|black and blue|half to death|within an inch of)`, 0.65),
    rule('strike-body', String.raw`\b(?:stab(?:bed|bing|s)?|shot|shoot(?:ing|s)?|slash(?:ed|ing)?|punch(?:ed|ing|es)?|kick(?:ed|ing|s)?|smash(?:ed|ing)?|bash(?:ed|ing)?|hit(?:ting|s)?|slap(?:ped|ping|s)?|stomp(?:ed|ing)?|whip(?:ped|ping)?) (?:him|her|them|you|the (?:guy|man|woman|kid|boy|girl|victim|cop|officer)|that (?:guy|bitch|bastard)) (?:right )?(?:in|through|across) (?:the |his |her |their |your |my )?${BODY_PART}\b`, 0.65),
    rule('maim', String.raw`\b(?:(?:slit|slice|slash|cut|slitting|slicing|slashing|cutting) (?:open )?(?:his|her|their|your|ur) (?:throat|neck|face|belly|stomach)|(?:snap|snapped|snapping|break|broke|breaking|crush|crushed|crushing) (?:his|her|their|your|ur) (?:neck|skull|spine|jaw|legs|arms|bones|ribs|fingers|kneecaps|windpipe)|(?:cut|chop|chopped|hack|hacked|saw|sawed|rip|ripped|tear|tore) (?:off )?(?:his|her|their|your|ur) (?:head|hands?|fingers?|arms?|legs?|limbs|balls|dick|tongue|ears?|eyes?|heart|skin)|(?:set|lit|light) (?:him|her|them|you|people) on fire|burn(?:ed|t|ing)? (?:him|her|them|you|people|it) alive|(?:bash|bashed|smash|smashed|cave|caved|kick|kicked|stomp|stomped) (?:in )?(?:his|her|their|your|ur) (?:head|skull|face|teeth) in|(?:bullet|bullets) (?:in|into|through) (?:his|her|their|your|ur|the) (?:head|skull|brain|face|chest|heart)|(?:blow|blew|blowing) (?:his|her|their|your|ur) (?:brains|head|face) (?:out|off))\b`, 0.7),
    rule('call-for-violence', String.raw`\b(?:(?:someone|somebody|they|we|you|people|cops|police|society|the government) (?:should|needs? to|ought to|must|gotta|have to|has to) (?:just )?(?:${VIOLENT_VERBS}) (?:him|her|them|that|this|those|these|all|every|everyone|the bastards?|the fuckers?)|(?:he|she|they|you|him|her|them|people like (?:him|her|them|you)|these (?:people|bastards|animals|pigs)|those (?:people|bastards|animals|pigs)|that (?:bastard|bitch|pig|fucker)|(?:pedophiles|pedos|rapists|traitors|terrorists)) (?:deserves?|deserved|should|must|ought to|needs? to) (?:all )?(?:to )?(?:be )?(?:die|shot|hanged|hung|killed|beaten|tortured|raped|burned|burnt|stabbed|lynched|murdered|strung up|put down|shot dead|beheaded|a bullet|burn alive|burned alive|be dead)|(?:kill|shoot|hang) (?:him|her|them) (?:all|on sight|dead)|line them (?:all )?up and shoot)\b`, 0.65),
    rule('glorify', String.raw`\b(?:(?:glad|happy|good|great|love it|love that|hilarious|funny) (?:that )?(?:he|she|they|those \w+|the \w+) (?:got |were |was |have been |has been )?(?:killed|shot|murdered|raped|lynched|hanged|hung|beheaded|tortured|died|massacred|slaughtered)|should(?:'ve| have) (?:killed|shot|murdered|gassed|bombed) (?:more|all|them all|every|the rest)|(?:kill|murder|shoot|torture|rape|beat) (?:them|him|her|people) for fun|i (?:love|enjoy|like) (?:killing|torturing|hurting|beating|stabbing|shooting) (?:people|animals|cats|dogs|him|her|them|others)|(?:torture|torturing|kill|killing|drown|drowning|burn|burning|kick|kicking|hurt|hurting|abuse|abusing) (?:a |the |my |his |her |some )?(?:cat|dog|puppy|kitten|animal|horse)s? (?:for fun|to death|alive|slowly))\b`, 0.6),
    rule('threat-general', String.raw`\b(?:i(?:'ll| will|'m going to|'m gonna| am going to) (?:make (?:you|him|her|them) (?:bleed|suffer|pay)|break (?:your|his|her|their) (?:neck|legs|arms|jaw|face|skull|bones)|bash (?:your|his|her|their) (?:head|skull|face) in|burn (?:your|his|her|their) (?:house|car|place) down|beat (?:you|him|her|them) (?:up|to death|senseless|bloody)|rip (?:your|his|her|their) (?:head|heart|throat|face) (?:off|out)|put (?:you|him|her|them) in (?:the|a) (?:hospital|grave|ground))|you(?:'re| are) (?:going to|gonna) (?:die|bleed|get hurt|get what's coming|regret (?:this|it)))\b`, 0.7),
  ],
  'violence/graphic': [
    rule('gore', String.raw`\b(?:gore|gory|dismember\w*|disembowel\w*|decapitat\w*|eviscerat\w*|mutilat\w*|entrails|intestines (?:spilling|spilled|hanging|out)|guts (?:spilled|spilling|spilt|hanging|everywhere|out)|blood (?:everywhere|spurting|spurted|gushing|gushed|spraying|sprayed|splatter\w*|soaked)|blood-soaked|bloodbath|pools? of (?:his |her |their )?blood|covered in (?:his |her |their )?blood|brains? (?:splattered|spilled|blown out|oozing|matter)|skinned alive|burned alive|burnt alive|flayed|impaled|gouged (?:out )?(?:his|her|their|your|my)? ?eyes?|eyes? (?:gouged|plucked|ripped|torn) out|severed (?:head|heads|limbs?|arms?|legs?|hands?|fingers?|penis|tongue)|torn (?:limb from limb|apart|to shreds)|ripped (?:apart|open|to shreds|limb from limb)|bloody (?:pulp|mess|stumps?|corpse)|mangled (?:body|bodies|corpses?|remains|flesh|limbs)|rotting (?:corpses?|bodies|body|flesh)|(?:exposed|protruding|shattered|splintered) bones?|bones? (?:protruding|sticking out|shattered|snapped|splintered|crunch\w*)|(?:skull|ribs|spine|neck) (?:cracked|crushed|shattered|split open|caved in|snapped)|flesh (?:tearing|torn|ripped|melting|burning|peeling|rotting)|(?:tore|ripped|torn|tearing|ripping) (?:out )?(?:his|her|their|your) (?:flesh|throat|heart|eyes|intestines|guts|skin)|slit (?:his|her|their|your) throat|blood and guts|brutally (?:murdered|killed|tortured|beaten|raped)|chopped (?:up )?(?:into pieces|to pieces|body)|body parts)\b`, 0.6),
    rule('bleeding', String.raw`\b(?:bleeding (?:out|profusely|to death)|bled (?:out|to death)|blood (?:poured|pouring|dripping|dripped|pooled|pooling|streaming|oozing|running) (?:from|down|out of|over)|(?:cough(?:ed|ing)?|vomit(?:ed|ing)?|spit(?:ting)?) (?:up )?blood|screaming in (?:agony|pain)|writhing in (?:agony|pain))\b`, 0.4),
  ],
};

/**
 * Framing that makes violent words informational or fictional (definitions, history, games,
 * fiction): violence and self-harm scores are halved when it is present.
 */
const FRAMING = register(
  String.raw`\b(?:(?:what|who) (?:is|was|are|were)(?: the)?(?: definition of| meaning of)?|definition of|meaning of|what constitutes|what happened (?:in|during|at|to)|history of|historical|in (?:a|my|the|this|your) (?:novel|story|book|movie|film|game|video game|tv show|show|play|screenplay|script)|for (?:a|my|the) (?:novel|story|book|movie|film|game|tv show|show|play)|call of duty|battlefield|fortnite|minecraft|gta|counter-strike|video game|board game|chess)\b`,
  'u',
);

/** Benign idioms removed before matching: "kill a Python process", "shoot a photo", "my killer app". */
const BENIGN = register(
  [
    String.raw`\b(?:kill|killing|kills|terminate|terminating|end|ending|stop|stopping|execute|executing|shoot|shooting|attack(?:ing)?|murder(?:ing)?|nuke|nuking|slay|slaying|destroy(?:ing)?|crush(?:ing)?|beat(?:ing)?|bomb(?:ing|ed)?) (?:a |an |the |my |this |that |all |some |your |his |her |their |these |those )?(?:\w+ )?(?:process(?:es)?|task|tasks|job|jobs|thread|threads|program|programs|app|apps|application|server|container|pod|session|command|script|query|queries|daemon|service|engine|lights?|time|mood|conversation|photos?|pictures?|video|film|movie|scene|hoops|breeze|plan|order|orders|contract|deal|exam|test|interview|presentation|competition|game|level|boss|weeds?|bugs?|germs|bacteria|mosquito(?:es)?|flies|pests?|fish|vector|surface|problem|it|goal|shot|idea|audition|performance)\b`,
    String.raw`\b(?:murder of crows|killer (?:app|feature|deal|look|workout|idea|smile)|kill it|killing it|killed it|to die for|dying to (?:know|see|try|go)|photo ?shoot|shoot(?:ing)? (?:for|from) the stars|crack (?:a|the) (?:joke|code|case|egg|window)|blow(?:ing)? (?:out|up) (?:the )?(?:candles?|balloons?)|sex(?:ual)? (?:education|health|orientation|harassment|assault awareness|discrimination)|sex of (?:the|a|my|your)|same[- ]sex|bisexual|asexual|homosexual(?:ity)?|breast (?:cancer|feeding|milk)|chinks? in (?:the|his|her|their|its|my|your|our) armou?r|(?:shoot|shot|shooting) (?:me|him|her|them|us|you) (?:a |an )?(?:quick |short |dirty )?(?:email|e-mail|message|text|note|line|dm|look|glance|smile|grin)|kill(?:ing)? (?:him|her|them|you|me) with kindness|drown(?:ed|ing)? (?:him|her|them|you|me|it) out|essex|sussex|middlesex|sexton|dickens|cockpit|cocktail|peacock|hancock|shuttlecock|scunthorpe)\b`,
    // Sex education in other languages (the English rule reads "sexual" in them too).
    String.raw`\b(?:educaci[oó]n sexual|education sexuelle|educa[çc][ãa]o sexual|educazione sessuale|sexualerziehung|sexualkunde)\b|éducation sexuelle`,
  ].join('|'),
  'gu',
);

const VOCABULARY = register(VIOLENCE_WORDS, 'gu');
/** Every lexicon regex (for scripts/generate-lexicon-literals.ts and its freshness test). */
export const LEXICON_SOURCES: readonly PatternSource[] = SOURCES;
/** The rules tested in two steps (for the test that they give their one regex's result). */
export const TWO_STEP_RULES: readonly TwoStepRule[] = Object.values(RULES).flatMap((list) => list.flatMap((entry) => (entry.twoStep ? [entry.twoStep] : [])));
const LEXICON = createGatedPatterns(SOURCES, LEXICON_LITERALS);
/** Distinct violence stems at which the vocabulary signal starts (two more make it flag alone). */
const VOCABULARY_MIN = 3;

/** How many distinct violence stems `text` uses (the first occurrence of each stem counts). */
function violentVocabulary(text: string, candidates: Uint8Array): number {
  if (candidates[VOCABULARY] === 0) return 0;
  const seen = new Set<string>();
  for (const match of text.matchAll(LEXICON.pattern(VOCABULARY, true))) seen.add(match[1]!);
  return seen.size;
}

/** Typographic apostrophes, folded to ' so "you’re" matches like "you're". */
const APOSTROPHES = /[\u2018\u2019\u02BC\u0060\u00B4]/gu;
/** "!" that ends a word is punctuation, not leetspeak for "i" ("¡quiero morir!"): spaced off before normalizing. */
const BANGS = /!+(?![\p{L}\p{N}])/gu;
const LETTER = /\p{L}/u;
const spaceWordFinalBangs = (text: string): string => text.replace(BANGS, (bangs: string, offset: number) => (offset > 0 && LETTER.test(text[offset - 1]!) ? ` ${bangs}` : bangs));

/** Normalized text for matching, benign idioms removed, with the lexicon patterns that may match it. */
function prepare(text: string): { text: string; candidates: Uint8Array } {
  const normalized = asTwoByte(normalizeForMatching(text).replace(APOSTROPHES, "'"));
  const candidates = LEXICON.candidates(normalized);
  if (candidates[BENIGN] === 0) return { text: normalized, candidates };
  const cleaned = asTwoByte(normalized.replace(LEXICON.pattern(BENIGN, true), ' '));
  // Removing an idiom can join words into a new phrase: the literals are looked up again.
  return cleaned === normalized ? { text: normalized, candidates } : { text: cleaned, candidates: LEXICON.candidates(cleaned) };
}

/** A rule with every field present (one object shape, so reading rules in the hot loop stays fast). */
interface UniformRule {
  name: string;
  pattern: number;
  weight: number;
  mention: boolean;
  profane: boolean;
  present: RegExp | undefined;
  wide: boolean;
  twoStep: TwoStepRule | undefined;
}

const uniform = ({ name, pattern, weight, mention = false, profane = false, present, wide = false, twoStep }: Rule): UniformRule => ({ name, pattern, weight, mention, profane, present, wide, twoStep });
const UNIFORM_RULES = {} as Record<ModerationCategory, readonly UniformRule[]>;
for (const category of MODERATION_CATEGORIES) UNIFORM_RULES[category] = RULES[category].map(uniform);

/** Configuration of the local moderator. */
export const localModeratorConfigSchema = z.strictObject({
  /**
   * One score threshold for every category (overrides the per-category defaults). @default the
   * trained defaults for the model's categories (chosen on held-out training sources), 0.5 for the rest
   */
  threshold: z.number().min(0).max(1).optional(),
  /** Per-category thresholds, over `threshold` and the defaults. */
  thresholds: z.partialRecord(moderationCategorySchema, z.number().min(0).max(1)).optional(),
  /**
   * `model+lexicon` (default): the trained classifier, with the lexicon rules as a second opinion for
   * what the model was not trained on (self-harm, sexual content with minors, illicit, graphic
   * violence, threats). `model`: the classifier only. `lexicon`: the rules only (the old baseline).
   */
  mode: z.enum(['model+lexicon', 'model', 'lexicon']).default('model+lexicon'),
});

/** Local moderator config as callers write it. */
export type LocalModeratorConfig = z.input<typeof localModeratorConfigSchema>;

/**
 * The local moderator: no network. A trained classifier (hashed word and character n-grams,
 * logistic regression trained on public data in en, de, fr, ar — see the README) scores harassment
 * and hate; lexicon rules per OpenAI category over text normalized against obfuscation add every
 * category, including what the model was not trained on (self-harm has no training data at all).
 * Counter-speech, negation and reported speech lower the abuse scores.
 *
 * @example
 * const moderator = createLocalModerator();
 * (await moderator.moderate('I will k1ll y0u!')).categories['harassment/threatening']; // true
 */
export function createLocalModerator(config: LocalModeratorConfig = {}): Moderator {
  const settings = parseConfig(localModeratorConfigSchema, config, 'local moderator config');
  return {
    name: 'local',
    moderate(text: string, _options: ModerateOptions = {}): Promise<ModerationResult> {
      return Promise.resolve(moderateLocally(text, settings));
    },
  };
}

/** The lexicon rules alone: scores 0..1 per category (0.5 = a match worth flagging) and the rules matched. */
export function lexiconModeration(text: string, threshold = 0.5): ModerationResult {
  const { text: normalized, candidates } = prepare(text);
  // Every subject is two-byte (`asTwoByte` in `prepare`, and the wide copy), so each pattern is compiled once, for that.
  const test = (pattern: number, subject: string, gate: Uint8Array): boolean => gate[pattern] === 1 && LEXICON.pattern(pattern, true).test(subject);
  const framed = test(FRAMING, normalized, candidates);
  const sexualText = test(SEXUAL_CONTEXT, normalized, candidates);
  // The multilingual rules read a word-final "!" as punctuation ("¡quiero morir!"); the English rules keep their reading.
  const wide = text.includes('!') ? prepare(spaceWordFinalBangs(text)) : { text: normalized, candidates };
  // Built on the first wide rule that runs: most texts reach none, and the concatenation is copied flat when a regex reads it.
  let wideText: string | undefined;
  const nonLatin = NON_LATIN_SCRIPT.test(normalized);
  const scores = {} as Record<ModerationCategory, number>;
  const signals: Partial<Record<ModerationCategory, string[]>> = {};
  for (const category of MODERATION_CATEGORIES) {
    let keep = 1;
    for (const { name, pattern, weight, mention, profane, present, wide: isWide, twoStep: steps } of UNIFORM_RULES[category]) {
      const gate = isWide ? wide.candidates : candidates;
      // A rule whose literals are absent cannot match: skipped before anything else is read.
      if (gate[pattern] === 0) continue;
      const subject = isWide ? (wideText ??= wide.text + WIDE_END) : normalized;
      // The cheap conditions first: a rule they rule out is neither compiled nor run.
      if ((profane && sexualText) || (present && !(nonLatin && present.test(subject)))) continue;
      if (steps ? steps.test(subject) : test(pattern, subject, gate)) {
        keep *= 1 - (mention && framed ? weight / 2 : weight);
        (signals[category] ??= []).push(name);
      }
    }
    if (category === 'violence') {
      const distinct = violentVocabulary(normalized, candidates);
      if (distinct >= VOCABULARY_MIN) {
        keep *= 1 - (distinct >= VOCABULARY_MIN + 2 ? 0.5 : 0.3);
        (signals[category] ??= []).push('violent-vocabulary');
      }
    }
    scores[category] = Math.round((1 - keep) * 100) / 100;
  }
  if (framed) {
    for (const category of ['violence', 'violence/graphic', 'self-harm'] as const) scores[category] = Math.round(scores[category] * 50) / 100;
  }
  // Sexual content involving minors: both a sexual term and a minor term in the same text.
  if (scores.sexual > 0 && test(MINOR, normalized, candidates)) {
    scores['sexual/minors'] = Math.max(scores['sexual/minors'], scores.sexual, 0.6);
    (signals['sexual/minors'] ??= []).push('sexual-and-minor');
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

type LocalModeratorSettings = z.output<typeof localModeratorConfigSchema>;
const DEFAULT_SETTINGS: LocalModeratorSettings = { mode: 'model+lexicon' };

/**
 * Categories the model decides, each by its stacked score (the `toxic` logit and the category's own
 * head, fitted on held-out training sources; validation-report.json → moderation.categories). Only
 * categories whose score held up when whole sources were held out: harassment (mean held-out AUC
 * 0.69 over convabuse, germeval, toxic-spans) and hate (0.70 over six sources). Not violence (one
 * source: only a row split inside it can score it, which shows no transfer) nor sexual (its only
 * source's negatives are non-abusive turns, so the head learned "abusive" and calls insults sexual).
 */
const MODEL_CATEGORIES: readonly ModerationCategory[] = ['harassment', 'hate'];
/** Categories that counter-speech, negation and reported speech lower. */
const ABUSE: ReadonlySet<ModerationCategory> = new Set<ModerationCategory>(['harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'violence']);
/** How far counter-speech moves the model's log-odds down: a confident insult stays flagged, a borderline one does not. */
const COUNTER_SPEECH_LOGITS = 2.5;
/** Child categories whose flag also flags the parent. */
const PARENTS: readonly (readonly [ModerationCategory, ModerationCategory])[] = [
  ['harassment/threatening', 'harassment'], ['hate/threatening', 'hate'], ['harassment/threatening', 'violence'], ['hate/threatening', 'violence'], ['illicit/violent', 'violence'],
  ['self-harm/intent', 'self-harm'], ['self-harm/instructions', 'self-harm'], ['sexual/minors', 'sexual'], ['illicit/violent', 'illicit'],
];

const logit = (p: number): number => Math.log(Math.max(1e-9, p) / Math.max(1e-9, 1 - p));
const sigmoid = (value: number): number => 1 / (1 + Math.exp(-value));

/**
 * Synchronous core of the local moderator (also used by the bench and the stream moderator).
 * Scores are calibrated probabilities for the model's categories; a lexicon match is mapped onto
 * the same scale (a rule match worth flagging scores the category's threshold). A category is
 * flagged at or above its threshold, and a flagged child flags its parent.
 */
export function moderateLocally(text: string, config: LocalModeratorConfig | LocalModeratorSettings = {}): ModerationResult {
  // Checked before the model's feature pass, which would fail untyped on a non-string.
  requireText(text, 'This guardrails check (moderateLocally)');
  const settings = settingsOf(config);
  if (settings.mode === 'lexicon') return withThresholds(lexiconModeration(text), settings);
  const classifier = moderationClassifier();
  // One normalization for the model and the counter-speech check.
  const features = normalizeForFeatures(text);
  const model = moderationCategoryProbabilities(features, MODEL_CATEGORIES);
  const counter = isCounterSpeech(features);
  const lexicon = settings.mode === 'model+lexicon' ? lexiconModeration(text) : undefined;
  const scores = {} as Record<ModerationCategory, number>;
  const categories = {} as Record<ModerationCategory, boolean>;
  const signals: Partial<Record<ModerationCategory, string[]>> = {};
  for (const category of MODERATION_CATEGORIES) {
    const threshold = thresholdOf(category, settings, classifier.categories);
    const defaultThreshold = thresholdOf(category, DEFAULT_SETTINGS, classifier.categories);
    let score = MODEL_CATEGORIES.includes(category) ? (model[category] ?? 0) : 0;
    if (counter && ABUSE.has(category) && score > 0) score = sigmoid(logit(score) - COUNTER_SPEECH_LOGITS);
    let rules = 0;
    if (lexicon) {
      rules = lexicon.scores[category] * (counter && ABUSE.has(category) ? 0.5 : 1);
      // A rule score of 0.5 (the rules' own cut-off) lands on this category's default threshold, so a
      // stricter configured threshold also needs a stronger rule match.
      rules = Math.min(1, rules <= 0.5 ? (rules / 0.5) * defaultThreshold : defaultThreshold + ((rules - 0.5) / 0.5) * (1 - defaultThreshold));
    }
    scores[category] = Math.round(Math.max(score, rules) * 1000) / 1000;
    categories[category] = scores[category] >= threshold;
    if (categories[category]) {
      const names = [...(score >= threshold ? ['classifier'] : []), ...(rules >= threshold ? (lexicon?.signals?.[category] ?? []) : [])];
      if (names.length > 0) signals[category] = names;
    }
  }
  for (const [child, parent] of PARENTS) {
    if (!categories[child]) continue;
    categories[parent] = true;
    scores[parent] = Math.max(scores[parent], scores[child]);
    if (!signals[parent] && signals[child]) signals[parent] = [...signals[child]];
  }
  const flagged = MODERATION_CATEGORIES.some((category) => categories[category]);
  return { flagged, categories, scores, provider: 'local', signals };
}

/** Parsed settings per config object (weakly held): a moderator or a caller reusing one config parses it once. */
const PARSED = new WeakMap<object, LocalModeratorSettings>();

/** What the schema makes of `{ mode }` alone, per mode: a fresh `{ mode: 'model' }` per call is not parsed each time. */
const MODE_ONLY: Readonly<Record<string, LocalModeratorSettings>> = { 'model+lexicon': DEFAULT_SETTINGS, model: { mode: 'model' }, lexicon: { mode: 'lexicon' } };

function settingsOf(config: LocalModeratorConfig | LocalModeratorSettings): LocalModeratorSettings {
  if (config === DEFAULT_SETTINGS) return DEFAULT_SETTINGS;
  const keys = Object.keys(config);
  if (keys.length === 0) return DEFAULT_SETTINGS;
  if (keys.length === 1 && keys[0] === 'mode' && typeof config.mode === 'string' && Object.hasOwn(MODE_ONLY, config.mode)) return MODE_ONLY[config.mode]!;
  let settings = PARSED.get(config);
  if (!settings) {
    settings = parseConfig(localModeratorConfigSchema, config, 'local moderator config');
    PARSED.set(config, settings);
    PARSED.set(settings, settings);
  }
  return settings;
}

function thresholdOf(category: ModerationCategory, settings: LocalModeratorSettings, defaults: LoadedClassifier['categories']): number {
  const own = settings.thresholds?.[category];
  if (own !== undefined) return own;
  if (settings.threshold !== undefined) return settings.threshold;
  return MODEL_CATEGORIES.includes(category) ? (defaults[category]?.threshold ?? 0.5) : 0.5;
}

/** The lexicon's result re-decided with the configured thresholds. */
function withThresholds(result: ModerationResult, settings: LocalModeratorSettings): ModerationResult {
  if (settings.threshold === undefined && settings.thresholds === undefined) return result;
  const categories = {} as Record<ModerationCategory, boolean>;
  for (const category of MODERATION_CATEGORIES) categories[category] = result.scores[category] >= (settings.thresholds?.[category] ?? settings.threshold ?? 0.5);
  return { ...result, categories, flagged: MODERATION_CATEGORIES.some((category) => categories[category]) };
}
