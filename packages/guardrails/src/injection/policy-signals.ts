import { normalizeForMatching } from '../util/normalize-text';
import type { InjectionSignal } from './injection-detector';
import { topicsIn } from './topic-lexicon';

/** Secret words in several languages (a request for "the password" is the same attack in any of them). */
const SECRET_WORDS =
  /\b(?:password|passwords|passcode|passphrase|pass phrase|secret|secrets|api key|access code|credentials?|pin code|passwort|kennwort|geheimnis|contraseña|contrasena|clave|mot de passe|senha|parola d'ordine|wachtwoord|hasło|haslo|şifre|sifre|parola)\b|парол|секрет|κωδικ|μυστικ|パスワード|暗証|秘密|密码|密碼|口令|비밀번호|암호|पासवर्ड|गुप्त|كلمة المرور|كلمة السر|سر/u;
/** A clause of the system prompt that forbids something. */
const PROTECTS =
  /\b(?:do not|don'?t|dont|never|must not|should not|shouldn'?t|under no circumstances|not (?:programmed|allowed|permitted|supposed) to|are not to|is not (?:allowed|permitted)|is (?:strictly )?(?:forbidden|prohibited)|avoid\w*|refrain from|refus\w*|declin\w*|steer clear of|stay away from|keep away from)\b/u;
/** Where a rule's subject ends and its reason begins ("never discuss X to maintain focus on Y"). */
const RULE_REASON =
  /\b(?:to (?:maintain|keep|ensure|stay|preserve|protect|comply|focus|remain)|in order to|so (?:that|as)|because|since|as (?:this|it|they|these|that|such)|which|that (?:are|is|were|could|might|may|would)|who|for (?:the sake|legal|privacy|safety|copyright|compliance)|due to)\b/u;
/** A prohibition whose subject comes first ("providing recipes is not allowed"). */
const PROHIBITED_AFTER = /\b(?:(?:is|are) (?:strictly )?(?:not allowed|not permitted|forbidden|prohibited|off-limits|off limits))\b/u;
const PROTECTS_REVEAL = /\b(?:do not|don'?t|dont|never|must not|should not|shouldn'?t|under no circumstances)\b[^.\n]{0,40}?\b(?:reveal|share|disclose|tell|give|leak|expose|provide)\b/u;
const PERSONAL_FIELDS =
  /\b(?:name|names|initials|first letter|letters of|email|e-mail|address|phone|birth|born|birthday|lives?|living|resid\w*|balance|account|salary|ssn|initials|favou?rite|full name|surname|age|correo|courriel|adresse|dirección|direccion|endereço|indirizzo|telefon\w*|teléfono|geburt\w*|nacimiento|naissance|nascita|saldo|solde|kontostand|wohnt|vive|habite|abita|woont|mieszka|yaşıyor|tinggal)\b|почт|адрес|телефон|живет|живёт|баланс|ζει|διεύθυνσ|τηλέφων|ηλεκτρονικ|住んで|住所|電話|メール|残高|誕生|住在|地址|电话|邮箱|余额|生日|住哪|살고|주소|전화|이메일|잔액|생일|रहता|रहती|पता|फोन|ईमेल|बैलेंस|जन्म|يعيش|عنوان|هاتف|بريد|رصيد/u;
const USER_WORDS =
  /\b(?:the )?user'?s?\b|\b(?:usuario|utilisateur|benutzer\w*|nutzer\w*|utente|usuário|usuario|gebruiker|użytkownik\w*|kullanıcı\w*|pengguna)\b|пользовател|χρήστη|ユーザー|利用者|用户|用戶|사용자|उपयोगकर्ता|المستخدم/u;

/** Asking how to get past what a protected secret guards is probing for the secret. */
const SECRET_ADJACENT =
  /\b(?:log ?in|logging in|sign in|signing in|unlock\w*|authenticat\w*|confidential (?:string|word|code|phrase|key)|pass ?key|the (?:secret|hidden|protected) (?:string|word|code|phrase|key))\b/u;

/** Words that describe a prohibition rather than its subject. */
const POLICY_STOPWORDS = new Set(
  (
    'about above after again against also always answer answers anyone anything appropriate avoid because being chatbot circumstances costs could discuss discussing discussion discussions ' +
    'focus focused from give giving help helping information instructions into like maintain matter more never nothing other others please programmed provide providing ' +
    'question questions regardless related relating reveal revealing share sharing should specific stay such talk talking task tell that their them there these they this ' +
    'those topic topics under what when which while with within would your yours allowed forbidden prohibited refrain user users request requests ensure service strictly ' +
    'heavily indepth depth consciously absolutely including include especially except even ever every each only just some many much make write explain know want need time thing things good best using used contain contains content anyone someone private personal details general change changing changes play playing care take taking doing'
  ).split(' '),
);

const stem = (word: string): string => word.slice(0, 5);

/** What a system prompt rules out, worked out once per prompt. */
interface PolicyRules {
  protectsSecret: boolean;
  protectsPersonalData: boolean;
  /** Proper names the prompt mentions (people whose data it holds). */
  names: ReadonlySet<string>;
  /** Content-word stems of the forbidden subjects. */
  forbiddenStems: ReadonlySet<string>;
  /** Lexicon concepts of the forbidden subjects. */
  forbiddenTopics: ReadonlySet<string>;
}

const MAX_CACHED_POLICIES = 64;
const policyCache = new Map<string, PolicyRules | null>();

/** The subjects of the clauses of `policy` that forbid something ("never discuss X", "avoid Y"). */
function forbiddenClauses(policy: string): string[] {
  const clauses: string[] = [];
  for (const sentence of policy.slice(0, 4_000).split(/[.!;\n]+/)) {
    const after = PROHIBITED_AFTER.exec(sentence);
    const cue = after ? undefined : PROTECTS.exec(sentence);
    if (!after && !cue) continue;
    // The subject: after the cue, or for "X is not allowed" the clause before it (from its last comma).
    let clause = after
      ? sentence.slice(Math.max(0, sentence.lastIndexOf(',', after.index) + 1, after.index - 120), after.index)
      : sentence.slice(cue!.index + cue![0].length, cue!.index + cue![0].length + 160);
    // The reason a rule gives ("to maintain focus on technology") is not what it forbids.
    const reason = RULE_REASON.exec(clause);
    if (reason && reason.index > 0) clause = clause.slice(0, reason.index);
    clauses.push(clause);
  }
  return clauses;
}

function rulesOf(systemPrompt: string): PolicyRules | null {
  const cached = policyCache.get(systemPrompt);
  if (cached !== undefined) return cached;
  const policy = normalizeForMatching(systemPrompt);
  let rules: PolicyRules | null = null;
  if (PROTECTS.test(policy)) {
    const protectsReveal = PROTECTS_REVEAL.test(policy);
    const forbiddenStems = new Set<string>();
    const forbiddenTopics = new Set<string>();
    for (const clause of forbiddenClauses(policy)) {
      for (const word of clause.match(/\p{L}{4,}/gu) ?? []) if (!POLICY_STOPWORDS.has(word)) forbiddenStems.add(stem(word));
      for (const topic of topicsIn(clause)) forbiddenTopics.add(topic.id);
    }
    rules = {
      protectsSecret: protectsReveal && SECRET_WORDS.test(policy),
      protectsPersonalData: protectsReveal && /\b(?:private|personal|user'?s) (?:information|data|details)|other user'?s\b/u.test(policy),
      names: new Set(systemPrompt.match(/\b[A-Z][a-z]{2,}\b/g) ?? []),
      forbiddenStems,
      forbiddenTopics,
    };
  }
  if (policyCache.size >= MAX_CACHED_POLICIES) policyCache.delete(policyCache.keys().next().value!);
  policyCache.set(systemPrompt, rules);
  return rules;
}

/**
 * Signals that need the application's system prompt: the prompt protects a secret, private data or
 * forbids a topic, and the user text asks for exactly that kind of thing — in another language, or
 * in other words for the subjects of the topic lexicon (forbidden "AI" covers "neural networks";
 * other subjects match cognates through their first five letters).
 */
export function policySignals(text: string, systemPrompt: string | undefined, signals: InjectionSignal[], normalized?: string): void {
  if (!systemPrompt) return;
  const rules = rulesOf(systemPrompt);
  if (!rules) return;
  // The detector has normalized the text already; normalizing it again would double the work.
  const request = normalized !== undefined ? normalized.slice(0, 20_000) : normalizeForMatching(text.slice(0, 20_000));
  if (rules.protectsSecret) {
    if (SECRET_WORDS.test(request)) signals.push({ name: 'protected-secret-probe', weight: 0.6 });
    else if (SECRET_ADJACENT.test(request)) signals.push({ name: 'protected-secret-probe', weight: 0.5 });
  }
  if (rules.protectsPersonalData) {
    // Proper names from the prompt that the request repeats, or a personal field of "the user".
    const mentionsName = [...text.matchAll(/\b[A-Z][a-z]{2,}\b/g)].some(
      (match) => rules.names.has(match[0]) && !/^(?:The|What|Can|Could|Please|Imagine|Suppose|Her|His|She|You|Your|And|For|This)$/.test(match[0]),
    );
    if ((mentionsName || USER_WORDS.test(request)) && PERSONAL_FIELDS.test(request)) signals.push({ name: 'protected-data-probe', weight: 0.6 });
  }
  if (rules.forbiddenTopics.size > 0) {
    let weight = 0;
    for (const topic of topicsIn(request)) {
      if (!rules.forbiddenTopics.has(topic.id) && !topic.ancestors.some((ancestor) => rules.forbiddenTopics.has(ancestor))) continue;
      // One clear term of the subject, or two hints, is the subject; one hint alone is a hint.
      weight = Math.max(weight, topic.strong > 0 || topic.weak >= 2 ? 0.55 : 0.3);
    }
    if (weight > 0) signals.push({ name: 'forbidden-topic-probe', weight });
  }
  const forbidden = rules.forbiddenStems;
  if (forbidden.size === 0) return;
  const hits = new Set<string>();
  for (const word of request.match(/\p{L}{4,}/gu) ?? []) {
    if (!POLICY_STOPWORDS.has(word) && forbidden.has(stem(word))) hits.add(stem(word));
  }
  // Two forbidden words, or the one word of a one-word rule, is a probe; one word of a longer rule is a
  // hint (one word of "space travel" is not the subject, and five-letter stems collide).
  if (hits.size >= 2 || (hits.size === 1 && forbidden.size === 1)) signals.push({ name: 'forbidden-topic-probe', weight: 0.55 });
  else if (hits.size === 1) signals.push({ name: 'forbidden-topic-probe', weight: 0.35 });
}
