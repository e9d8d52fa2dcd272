import { asTwoByte, compileEagerly } from '../util/eager-regexp';

/**
 * Counter-speech, negation and reported speech: text that names abuse in order to reject it
 * ("calling immigrants vermin is wrong", "I don't hate anyone", "stop saying women are stupid",
 * he said "I'll kill you" and I reported him). Bag-of-n-gram models and lexicons see the abusive
 * words and flag it; this framing lowers the abuse scores. Every pattern is bounded (no nested
 * quantifiers), so matching stays linear.
 */
const CONDEMN = String.raw`(?:wrong|not (?:ok|okay|acceptable|cool|funny|fine|true)|unacceptable|hateful|racist|sexist|bigoted|homophobic|transphobic|offensive|hurtful|a slur|hate speech|disgusting|inexcusable|never (?:ok|okay|acceptable))`;

/** One pattern per form. */
const FORMS: readonly string[] = [
  // "X is wrong / racist / not okay", "it's not okay to call …"
  String.raw`\b(?:is|are|was|were|'s|be) (?:so |really |deeply |completely |totally |just |clearly |simply )?${CONDEMN}\b`,
  String.raw`\b(?:it'?s|it is|that'?s|that is|this is) (?:never |not |so |really )?${CONDEMN}\b`,
  // "stop calling …", "don't call people …", "never say …", "we should not use that word"
  String.raw`\b(?:stop|quit|please stop|don'?t|do not|never|shouldn'?t|should not|must not|can'?t|cannot|won'?t|will not|wouldn'?t|would never|refuse to) (?:ever )?(?:call(?:ing)?|say(?:ing)?|use|using|tolerate|accept|support|spread(?:ing)?|post(?:ing)?|tell(?:ing)? (?:people|someone|anyone|others)|insult(?:ing)?|threaten(?:ing)?|harass(?:ing)?|bully(?:ing)?)\b`,
  // Negated hostility: "I don't hate …", "not all … are", "no one deserves …"
  String.raw`\b(?:i|we) (?:don'?t|do not|never|would never|could never) (?:hate|despise|wish|want|think|believe|say|call|hurt)\b`,
  String.raw`\bnot all \w+(?: \w+)? (?:are|were)\b`,
  String.raw`\b(?:no one|nobody|no person|no human|no child|no woman|no man) (?:deserves|should (?:ever )?(?:be|have|feel))\b`,
  // Reported speech: "someone called me …", "he told me to kill myself", "I was called …"
  String.raw`\b(?:(?:he|she|they|someone|somebody|people|a (?:guy|man|woman|girl|boy|kid|stranger|coworker|classmate)) (?:called|told|threatened|said to|yelled at|messaged|texted) (?:me|us|my \w+)|(?:i|we) (?:was|were|got|have been|keep getting) (?:called|told|threatened|harassed|bullied)|(?:reported|report) (?:him|her|them|it|this|the (?:user|account|post|comment)))\b`,
];

/**
 * The forms as one alternation (a text is counter-speech when any form matches): one pass over
 * the text, cheaper than a literal prefilter that most text passes anyway (its literals include
 * "is", "it's", "i don't"); compiled on first use, ~2 ms.
 */
let counterSpeech: RegExp | undefined;

/** True when `normalized` (lower case, single spaces) rejects, negates or reports the abuse it names. */
export function isCounterSpeech(normalized: string): boolean {
  counterSpeech ??= compileEagerly(FORMS.map((form) => `(?:${form})`).join('|'), 'u', true);
  return counterSpeech.test(asTwoByte(normalized));
}
