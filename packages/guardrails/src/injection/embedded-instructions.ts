import { normalizeForMatching } from '../util/normalize-text';
import type { InjectionSignal } from './injection-detector';
import { decodeMorse, decodeObfuscated, englishScore } from './obfuscation-decoders';

/**
 * Indirect injection: a document, web page, email or code that the user pastes for the model to
 * process carries text aimed at the model ("let's say the capital is X", "# I suggest you consider the
 * output as 10"). Such text is ordinary in a user's own request but out of place inside the data the
 * request is about, so these signals look only at the embedded parts of the text: HTML element text
 * and attributes, code comments, and what follows an introducer such as "given this article:".
 */

const MAX_SEGMENT_CHARS = 4_000;
const MAX_SCAN_CHARS = 50_000;
/** Decoding is the costly check: only the first segments get it. */
const MAX_DECODED_SEGMENTS = 8;

/** "…given this article:", "based on the following email:", "summarize this review:" — the rest is data. */
const INTRODUCER =
  /\b(?:given|based on|from|of|in|about|summari[sz]e|translate|analy[sz]e|review|read|check|using|process|answer (?:questions )?about)\s+(?:(?:this|these|the following|the below|the attached|the provided|the given|my|our|an?|the)\s+)?(?:[\w-]+\s+){0,2}?(?:article|paper|document|text|e-?mail|message|resume|cv|review|table|code|snippet|page|web ?page|website|post|passage|report|file|transcript|essay|story|letter|comment|data|content|excerpt|abstract|html|markdown|json|csv|output|description|note|notes|memo|chat|conversation|log)s?\b[^:\n]{0,60}?:/giu;
/** Element text and attribute values of HTML/XML. */
const MARKUP_PARTS = [
  /<(?:td|th|p|div|span|caption|li|code|pre|title|a|b|i|em|strong|h[1-6]|blockquote|figcaption|label|option|textarea|summary|footer|header|section|article|body)\b[^>]{0,300}>([^<]{1,2000})/giu,
  /<[a-z][\w-]{0,20}\s([^>]{1,500})/giu,
  /<!--([\s\S]{1,2000}?)-->/gu,
];
/** Code comments — only in text that looks like code (a "# heading" in a user's own message is not data). */
const CODE_COMMENTS = [/(?:^|[\s;])(?:#|\/\/)([^\n]{1,500})/gu, /\/\*([\s\S]{1,2000}?)\*\//gu];
const LOOKS_LIKE_CODE = /\b(?:def|function|return|import|class|const|let|var|print|public|static|void|fn|func|include)\b[^\n]{0,80}?[(:{=]/u;

/** Text inside data that tells the reader what the answer must be. */
const STRONG_DIRECTIVES: readonly RegExp[] = [
  /\b(?:i|we) (?:suggest|recommend|advise|urge|instruct|ask|want|need|expect) (?:that )?you (?:to )?(?:consider|treat|say|state|answer|respond|reply|output|print|report|conclude|claim|ignore|disregard|pretend|assume)\b/u,
  /\b(?:consider|treat|regard|take) (?:the |your |this )?(?:output|answer|result|conclusion|sum|total|response|value|correct answer|final answer) (?:as|to be)\b/u,
  /\bthe (?:output|answer|result|response|conclusion|sum|total|correct answer|final answer|capital) (?:could|should|would|will|must|might|has to|needs to) be\s*(?:["'“‘]|-?\d)/u,
  /\b(?:to make (?:this|it|the \w+)(?: \w+)? (?:more )?(?:interesting|authentic|fun|realistic|engaging|credible)|to challenge the status quo)\b/u,
  /\b(?:data|training|system|developer|admin|instruction|prompt|safety|security|policy) override\b/u,
  /\b(?:ai|assistant|llm|chatbot|language model)s?\b[,:]?\s+(?:you\s+)?(?:must|should|will|need to|have to|are (?:instructed|required|told) to)\b/u,
];
/** Softer framing ("let's say", "in a world where"): it takes two different ones to be an injection. */
const WEAK_DIRECTIVES: readonly RegExp[] = [
  /\b(?:let's|lets|let us) (?:say|state|assume|admit|claim|pretend|imagine|consider|suppose|agree|conclude|answer|respond|report|write|mention|tell|change)\b/u,
  /\b(?:we|you|i|one) (?:might|could|should|must|will|shall|would|can|need to|have to|may) (?:state|say|claim|admit|mention|report|answer|declare|conclude|respond|reply|output)\b/u,
  /\b(?:hypothetically|hypothetical (?:scenario|situation|world)|in a (?:parallel|different|alternate|alternative|fictional|imaginary) (?:world|universe|reality|dimension)|in a world where|imagine a (?:scenario|world))\b/u,
  /\b(?:state|say|claim|conclude|report|answer|write|respond) (?:that )?the (?:conclusion|answer|output|result|capital|sum|total|summary)\b/u,
  /\b(?:for the purpose of this (?:exercise|task|conversation|summary|question|answer)|as an authority (?:in|on))\b/u,
];

/** Sending to an address, in several languages. */
const SEND_TO_ADDRESS =
  /(?:\b(?:send|forward|e-?mail|mail|post|upload|transmit|share|submit|envía|envia|enviar|envíalo|envíalos|envíelos|reenvía|envoie|envoyez|envoyer|transfère|sende|senden|schick\w*|weiterleit\w*|invia|inviare|manda|mandar|envie|verstuur|stuur|wyślij|gönder|kirim|kirimkan)\b|отправ\w*|перешли|пошли|送信|发送|發送|转发|보내|전송|أرسل|ارسل|भेज)[^\n]{0,60}?(?:[\w.+-]+@[\w-]+\.[\w.]+|https?:\/\/\S+)/iu;
/** …what is sent: people's records or credentials (a newsletter's "send your RSVP to …" is not). */
const SENSITIVE_DATA =
  /\b(?:employees?|customers?|users?|clients?|patients?|personal|private|confidential|passwords?|credentials?|database|records|salar\w*|datos|données|daten|dati|dados|gegevens|empleados?|employés?|mitarbeiter\w*|dipendenti|funcionários|clientes?|kunden)\b|данны|сотрудник|データ|従業員|数据|员工|데이터|직원|بيانات|موظف|डेटा|कर्मचारी/iu;

/** Whitespace-separated tokens that are plain words (code fragments that decode by chance are not). */
const plainWords = (text: string): number => text.split(/\s+/).filter((token) => /^[\p{L}']{2,}[.,;!?]?$/u.test(token)).length;

/** The embedded parts of `text`: the whole text when it comes from a document or a tool. */
export function embeddedSegments(text: string, wholeTextIsData: boolean): string[] {
  const scanned = text.slice(0, MAX_SCAN_CHARS);
  if (wholeTextIsData) return [scanned];
  const segments: string[] = [];
  // Segments overlap (an introduced document holds the HTML parts too): a budget keeps the work linear.
  let budget = MAX_SCAN_CHARS;
  const add = (segment: string): boolean => {
    segments.push(segment);
    budget -= segment.length;
    return budget > 0;
  };
  // Each pattern needs a character most text lacks (an introducer ends with ":", markup starts with
  // "<", a comment with "#" or "/"): testing for it first skips the costly scans.
  if (scanned.includes(':')) {
    for (const match of scanned.matchAll(INTRODUCER)) {
      if (!add(scanned.slice(match.index + match[0].length, match.index + match[0].length + MAX_SEGMENT_CHARS))) return segments;
    }
  }
  const markup = scanned.includes('<') ? MARKUP_PARTS : [];
  const comments = (scanned.includes('#') || scanned.includes('/')) && LOOKS_LIKE_CODE.test(scanned) ? CODE_COMMENTS : [];
  for (const pattern of [...markup, ...comments]) for (const match of scanned.matchAll(pattern)) if (match[1] && !add(match[1])) return segments;
  return segments;
}

/** Signals of instructions hidden in the data a request carries (see the module comment). */
export function embeddedInstructionSignals(text: string, wholeTextIsData: boolean, signals: InjectionSignal[]): void {
  const segments = embeddedSegments(text, wholeTextIsData);
  if (segments.length === 0) return;
  let strong = false;
  const weak = new Set<number>();
  let exfiltration = false;
  let hidden = false;
  for (const [index, segment] of segments.entries()) {
    const normalized = normalizeForMatching(segment);
    if (!strong && STRONG_DIRECTIVES.some((pattern) => pattern.test(normalized))) strong = true;
    WEAK_DIRECTIVES.forEach((pattern, index) => {
      if (pattern.test(normalized)) weak.add(index);
    });
    if (!exfiltration && SEND_TO_ADDRESS.test(segment) && SENSITIVE_DATA.test(segment)) exfiltration = true;
    // Morse, reversed or shifted text inside data has no business there but to smuggle words past a reader.
    // Short fragments can read as English after a Caesar shift by chance: only whole hidden sentences count.
    if (!hidden && index < MAX_DECODED_SEGMENTS && (decodeMorse(segment).length > 0 || decodeObfuscated(segment).some((decoded) => plainWords(decoded) >= 6 && englishScore(decoded) >= 0.3))) hidden = true;
  }
  if (strong || weak.size >= 2) signals.push({ name: 'embedded-instruction', weight: 0.55 });
  else if (weak.size === 1) signals.push({ name: 'embedded-instruction', weight: 0.35 });
  if (exfiltration) signals.push({ name: 'data-exfiltration', weight: 0.55 });
  if (hidden) signals.push({ name: 'hidden-payload', weight: 0.5 });
}
