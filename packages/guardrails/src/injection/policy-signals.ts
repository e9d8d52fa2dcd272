import { normalizeForMatching } from '../util/normalize-text';
import type { InjectionSignal } from './injection-detector';

/** Secret words in several languages (a request for "the password" is the same attack in any of them). */
const SECRET_WORDS =
  /\b(?:password|passwords|passcode|passphrase|pass phrase|secret|secrets|api key|access code|credentials?|pin code|passwort|kennwort|geheimnis|contraseña|contrasena|clave|mot de passe|senha|parola d'ordine|wachtwoord|hasło|haslo|şifre|sifre|parola)\b|парол|секрет|κωδικ|μυστικ|パスワード|暗証|秘密|密码|密碼|口令|비밀번호|암호|पासवर्ड|गुप्त|كلمة المرور|كلمة السر|سر/u;
/** A clause of the system prompt that forbids something. */
const PROTECTS = /\b(?:do not|don'?t|dont|never|must not|should not|shouldn'?t|under no circumstances|not (?:programmed|allowed|permitted|supposed) to|are not to|is not (?:allowed|permitted)|is (?:strictly )?(?:forbidden|prohibited)|avoid\w*|refrain from)\b/u;
/** A prohibition whose subject comes first ("providing recipes is not allowed"). */
const PROHIBITED_AFTER = /\b(?:(?:is|are) (?:strictly )?(?:not allowed|not permitted|forbidden|prohibited|off-limits|off limits))\b/u;
const PROTECTS_REVEAL = /\b(?:do not|don'?t|dont|never|must not|should not|shouldn'?t|under no circumstances)\b[^.\n]{0,40}?\b(?:reveal|share|disclose|tell|give|leak|expose|provide)\b/u;
const PERSONAL_FIELDS =
  /\b(?:email|e-mail|address|phone|birth|born|birthday|lives?|living|resid\w*|balance|account|salary|ssn|initials|favou?rite|full name|surname|age|correo|courriel|adresse|dirección|direccion|endereço|indirizzo|telefon\w*|teléfono|geburt\w*|nacimiento|naissance|nascita|saldo|solde|kontostand|wohnt|vive|habite|abita|woont|mieszka|yaşıyor|tinggal)\b|почт|адрес|телефон|живет|живёт|баланс|ζει|διεύθυνσ|τηλέφων|ηλεκτρονικ|住んで|住所|電話|メール|残高|誕生|住在|地址|电话|邮箱|余额|生日|住哪|살고|주소|전화|이메일|잔액|생일|रहता|रहती|पता|फोन|ईमेल|बैलेंस|जन्म|يعيش|عنوان|هاتف|بريد|رصيد/u;
const USER_WORDS =
  /\b(?:the )?user'?s?\b|\b(?:usuario|utilisateur|benutzer\w*|nutzer\w*|utente|usuário|usuario|gebruiker|użytkownik\w*|kullanıcı\w*|pengguna)\b|пользовател|χρήστη|ユーザー|利用者|用户|用戶|사용자|उपयोगकर्ता|المستخدم/u;

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

/** Content-word stems of the clauses of `policy` that forbid something ("never discuss X", "avoid Y"). */
function forbiddenStems(policy: string): Set<string> {
  const stems = new Set<string>();
  for (const sentence of policy.slice(0, 4_000).split(/[.!;\n]+/)) {
    const after = PROHIBITED_AFTER.exec(sentence);
    const cue = after ? undefined : PROTECTS.exec(sentence);
    if (!after && !cue) continue;
    // The subject: after the cue, or for "X is not allowed" the clause before it (from its last comma).
    const clause = after
      ? sentence.slice(Math.max(0, sentence.lastIndexOf(',', after.index) + 1, after.index - 120), after.index)
      : sentence.slice(cue!.index + cue![0].length, cue!.index + cue![0].length + 160);
    for (const word of clause.match(/\p{L}{4,}/gu) ?? []) if (!POLICY_STOPWORDS.has(word)) stems.add(stem(word));
  }
  return stems;
}

/**
 * Signals that need the application's system prompt: the prompt protects a secret, private data or
 * forbids a topic, and the user text asks for exactly that kind of thing (in any of several
 * languages; forbidden topics also match cognates through their first five letters).
 */
export function policySignals(text: string, systemPrompt: string | undefined, signals: InjectionSignal[]): void {
  if (!systemPrompt) return;
  const policy = normalizeForMatching(systemPrompt);
  if (!PROTECTS.test(policy)) return;
  const request = normalizeForMatching(text.slice(0, 20_000));
  if (PROTECTS_REVEAL.test(policy)) {
    if (SECRET_WORDS.test(policy) && SECRET_WORDS.test(request)) signals.push({ name: 'protected-secret-probe', weight: 0.6 });
    if (/\b(?:private|personal|user'?s) (?:information|data|details)|other user'?s\b/u.test(policy)) {
      // Proper names from the prompt that the request repeats, or a personal field of "the user".
      const names = new Set(systemPrompt.match(/\b[A-Z][a-z]{2,}\b/g) ?? []);
      const mentionsName = [...text.matchAll(/\b[A-Z][a-z]{2,}\b/g)].some(
        (match) => names.has(match[0]) && !/^(?:The|What|Can|Could|Please|Imagine|Suppose|Her|His|She|You|Your|And|For|This)$/.test(match[0]),
      );
      if ((mentionsName || USER_WORDS.test(request)) && PERSONAL_FIELDS.test(request)) signals.push({ name: 'protected-data-probe', weight: 0.6 });
    }
  }
  const forbidden = forbiddenStems(policy);
  if (forbidden.size === 0) return;
  const hits = new Set<string>();
  for (const word of request.match(/\p{L}{4,}/gu) ?? []) {
    if (!POLICY_STOPWORDS.has(word) && forbidden.has(stem(word))) hits.add(stem(word));
  }
  // Two forbidden subjects, or the one subject of a narrow rule, is a probe; one word of a broad rule is a hint.
  if (hits.size >= 2 || (hits.size === 1 && forbidden.size <= 3)) signals.push({ name: 'forbidden-topic-probe', weight: 0.55 });
  else if (hits.size === 1) signals.push({ name: 'forbidden-topic-probe', weight: 0.35 });
}
