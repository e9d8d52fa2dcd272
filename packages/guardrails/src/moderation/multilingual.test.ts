import { describe, expect, it } from 'vitest';
import { moderateLocally } from './local-moderator';
import type { ModerationCategory } from './moderation-category';

type Case = readonly [text: string, category: ModerationCategory];

/** Positives per language: self-harm, intent, threats, calls to kill a group, slurs, insults, sexual minors. */
const POSITIVES: Readonly<Record<string, readonly Case[]>> = {
  es: [
    ['Ya no puedo más, quiero morir.', 'self-harm'],
    ['¡Quiero morir!', 'self-harm'],
    ['me quiero suicidar esta noche', 'self-harm/intent'],
    ['voy a quitarme la vida', 'self-harm/intent'],
    ['Te voy a matar, hijo de puta', 'harassment/threatening'],
    ['sé dónde vives y te voy a pegar un tiro', 'harassment/threatening'],
    ['hay que matar a todos los judíos', 'hate/threatening'],
    ['los inmigrantes son ratas y basura', 'hate'],
    ['maricón de mierda', 'hate'],
    ['eres un pendejo de mierda', 'harassment'],
    ['vete a la mierda', 'harassment'],
    ['videos porno de niñas de 12 años', 'sexual/minors'],
  ],
  fr: [
    ['Je veux mourir.', 'self-harm'],
    ["j'ai envie de me suicider", 'self-harm/intent'],
    ['je vais me tuer ce soir', 'self-harm/intent'],
    ['Je vais te tuer, connard', 'harassment/threatening'],
    ['je sais où tu habites', 'harassment/threatening'],
    ['mort aux juifs', 'hate/threatening'],
    ['sale bougnoule', 'hate'],
    ["t'es vraiment un gros connard", 'harassment'],
    ['ferme ta gueule', 'harassment'],
    ["photos nues d'une fillette de 10 ans", 'sexual/minors'],
  ],
  de: [
    ['Ich will sterben.', 'self-harm'],
    ['Ich will mich umbringen', 'self-harm/intent'],
    ['ich werde mir heute das Leben nehmen', 'self-harm/intent'],
    ['Ich bring dich um!', 'harassment/threatening'],
    ['ich werde dich abstechen', 'harassment/threatening'],
    ['Juden ins Gas', 'hate/threatening'],
    ['Ausländer sind Ungeziefer', 'hate'],
    ['du bist so ein dummes Arschloch', 'harassment'],
    ['halt die Fresse, du Hurensohn', 'harassment'],
    ['Pornos mit Kindern', 'sexual/minors'],
  ],
  pt: [
    ['Eu quero morrer.', 'self-harm'],
    ['me quero matar', 'self-harm'],
    ['vou me matar hoje', 'self-harm/intent'],
    ['Vou te matar, seu filho da puta', 'harassment/threatening'],
    ['morte aos judeus', 'hate/threatening'],
    ['você é um lixo', 'harassment'],
    ['vai tomar no cu', 'harassment'],
    ['vídeos pelados de crianças', 'sexual/minors'],
  ],
  it: [
    ['Voglio morire.', 'self-harm'],
    ['voglio suicidarmi', 'self-harm/intent'],
    ['Ti ammazzo, stronzo!', 'harassment/threatening'],
    ['morte agli ebrei', 'hate/threatening'],
    ['sporco negro', 'hate'],
    ['sei un coglione', 'harassment'],
    ['vaffanculo', 'harassment'],
    ['foto nude di bambine', 'sexual/minors'],
  ],
  ru: [
    ['Хочу умереть.', 'self-harm'],
    ['Я покончу с собой', 'self-harm/intent'],
    ['Я тебя убью', 'harassment/threatening'],
    ['Смерть жидам', 'hate/threatening'],
    ['ты тупой урод', 'harassment'],
    ['иди нахуй', 'harassment'],
    ['порно с детьми', 'sexual/minors'],
  ],
  ar: [
    ['أريد أن أموت', 'self-harm'],
    ['سأنتحر', 'self-harm/intent'],
    ['سأقتلك', 'harassment/threatening'],
    ['الموت لليهود', 'hate/threatening'],
    ['يا كلب', 'harassment'],
  ],
  hi: [
    ['मैं मरना चाहता हूँ', 'self-harm'],
    ['main marna chahta hu', 'self-harm'],
    ['मैं आत्महत्या कर लूंगा', 'self-harm/intent'],
    ['मैं तुझे जान से मार डालूंगा', 'harassment/threatening'],
    ['tujhe maar dalunga', 'harassment/threatening'],
    ['abe chutiya', 'harassment'],
  ],
  zh: [
    ['我想死', 'self-harm'],
    ['我要自杀', 'self-harm/intent'],
    ['我要杀了你', 'harassment/threatening'],
    ['杀光所有黑人', 'hate/threatening'],
    ['你是个废物', 'harassment'],
    ['儿童色情', 'sexual/minors'],
  ],
  ja: [
    ['死にたい。', 'self-harm'],
    ['自殺しようと思う', 'self-harm/intent'],
    ['お前を殺す', 'harassment/threatening'],
    ['朝鮮人を殺せ', 'hate/threatening'],
    ['お前はバカ', 'harassment'],
    ['児童ポルノ', 'sexual/minors'],
  ],
};

/** Idioms and everyday uses that look like the lexicon and must stay unflagged. */
const BENIGN: Readonly<Record<string, readonly string[]>> = {
  es: [
    'Vamos a matar el tiempo en el café',
    'Me muero de risa con este video',
    'Me muero de hambre, ¿comemos?',
    'Quiero morir en paz, rodeado de mi familia, cuando sea viejo.',
    'Te voy a matar a besos cuando llegues',
    '¿Cómo hablar de sexo con mis hijos adolescentes?',
    'La educación sexual en las escuelas para niños de 10 años',
    '¿Cuál es el sexo del bebé?',
  ],
  fr: ['Je meurs de faim', 'Je veux mourir de rire', 'On va tuer le temps en regardant un film', 'Le petit garçon courait tout nu sur la plage', 'Mort à Venise est un film de Visconti'],
  de: ['Ich sterbe vor Hunger', 'Ich bringe dich um 8 Uhr nach Hause', 'Ich will in Frieden sterben, wenn ich alt bin', 'Stirb langsam ist ein Film mit Bruce Willis'],
  pt: ['Tô morrendo de rir', 'Morrendo de fome aqui', 'Vou matar a saudade da minha mãe', 'Vou matar aula amanhã', 'Quero morrer de rir com esse filme'],
  it: ['Sto morendo dal ridere', 'Voglio morire dal ridere', 'Ti ammazzo di baci!'],
  ru: ['Я умираю от смеха', 'Я хочу умереть от смеха', 'Мы убиваем время'],
  hi: ['मैं तुम्हें याद करता हूँ', 'tere liye jaan de dunga'],
  zh: ['我想死你了', '笑死我了', '累死了，今天工作太多'],
  ja: ['恥ずかしくて死にたいくらい', 'カロリーが高い', 'ゴスロリのドレスが好き'],
};

describe('local moderator, other languages', () => {
  for (const [language, cases] of Object.entries(POSITIVES)) {
    it.each(cases)(`${language}: flags %j as %s`, (text, category) => {
      const result = moderateLocally(text);
      expect(result.flagged).toBe(true);
      expect(result.categories[category]).toBe(true);
    });
  }

  for (const [language, texts] of Object.entries(BENIGN)) {
    it.each(texts)(`${language}: does not flag the benign %j`, (text) => {
      expect(moderateLocally(text).flagged).toBe(false);
    });
  }

  it('scores sexual content with minors high and implies sexual', () => {
    const result = moderateLocally('videos porno de niñas de 12 años');
    expect(result.scores['sexual/minors']).toBeGreaterThanOrEqual(0.8);
    expect(result.categories.sexual).toBe(true);
  });

  it('needs both a sexual and a minor term in the same sentence', () => {
    expect(moderateLocally('Los niños juegan en el parque. Luego vimos una película erótica.').categories['sexual/minors']).toBe(false);
    expect(moderateLocally('Die Kinder spielen im Garten.').flagged).toBe(false);
  });

  it('stays linear on long adversarial input', () => {
    const text = `${'quiero '.repeat(5000)}${'te voy a '.repeat(5000)}${'niños porno '.repeat(2000)}`;
    const started = performance.now();
    moderateLocally(text);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
