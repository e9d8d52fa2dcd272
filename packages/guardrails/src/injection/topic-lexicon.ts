/**
 * A small multilingual lexicon of the subjects that application system prompts most often rule out
 * ("never discuss AI", "providing recipes is not allowed"). It lets a topic rule written in English
 * catch the same subject asked in another language or in other words ("neural networks" for AI,
 * "omelette au fromage" for recipes), which a word-stem match cannot.
 *
 * Latin, Greek and Cyrillic terms are word-start prefixes (`medic` matches "medication", "médico");
 * CJK, Arabic and Devanagari terms match anywhere (no spaces, or attached articles and prefixes).
 * `weak` terms are common words that hint at a subject: one alone is not enough.
 */
export interface TopicConcept {
  readonly id: string;
  /** A broader subject: ruling out the parent rules out this one ("physics" covers "quantum"). */
  readonly parent?: string;
  readonly strong: readonly string[];
  readonly weak?: readonly string[];
}

export const TOPIC_CONCEPTS: readonly TopicConcept[] = [
  {
    id: 'science',
    strong: ['science', 'scientific', 'ciencia', 'científic', 'cientific', 'wissenschaft', 'scienza', 'scientifi', 'наук', 'научн', 'επιστήμ', '科学', '과학', 'العلوم', 'علمي', 'विज्ञान', 'sains', 'ilmiah', 'bilim'],
  },
  {
    id: 'physics',
    parent: 'science',
    strong: ['physics', 'relativity', 'thermodynamic', 'time dilation', 'astrophysic', 'física', 'fisica', 'physique', 'physik', 'физик', 'φυσικ', '物理', '물리', 'فيزياء', 'भौतिकी', 'fisika', 'fizik', 'relativité', 'relatividad', 'relativität', 'относительност'],
    weak: ['gravity', 'gravit', 'black hole', 'einstein', 'newton'],
  },
  {
    id: 'quantum',
    parent: 'physics',
    strong: [
      'quantum', 'quanta', 'subatomic', 'schrödinger', 'schrodinger', 'schroedinger', 'shrodinger', 'shroedinger', 'heisenberg', 'uncertainty principle', 'wave function', 'wavefunction',
      'wave-particle', 'superposition', 'entanglement', 'smallest level', 'smallest scale', 'cuántic', 'cuantic', 'quantique', 'quanten', 'quantistic', 'quântic', 'quantic',
      'квант', 'κβαντ', '量子', '양자', 'كمومي', 'कांटम', 'क्वांटम', 'kuantum', 'subatómic', 'subatomar',
    ],
  },
  {
    id: 'mathematics',
    parent: 'science',
    strong: ['mathemat', 'algebra', 'calculus', 'theorem', 'trigonometr', 'geometr', 'matemátic', 'matematic', 'mathématique', 'математик', 'μαθηματικ', '数学', '수학', 'رياضيات', 'गणित', 'matematika'],
    weak: ['equation', 'integral', 'derivative', 'math'],
  },
  {
    id: 'chemistry',
    parent: 'science',
    strong: ['chemistry', 'chemical', 'molecul', 'química', 'quimica', 'chimie', 'chemie', 'chimica', 'хими', 'χημ', '化学', '화학', 'كيمياء', 'रसायन', 'kimia', 'kimya'],
    weak: ['compound', 'reaction', 'periodic table'],
  },
  {
    id: 'biology',
    parent: 'science',
    strong: ['biology', 'biolog', 'genetic', 'биолог', 'βιολογ', '生物', '생물', 'जीवविज्ञान'],
    weak: ['cell', 'organism', 'dna$'],
  },
  {
    id: 'evolution',
    parent: 'biology',
    strong: ['evolution', 'darwin', 'natural selection', 'evolved from', 'common ancestor', 'origin of species', 'evolución', 'evolucion', 'évolution', 'evoluzione', 'evolução', 'эволюц', 'εξέλιξ', '進化', '进化', '진화', 'التطور', 'विकासवाद', 'evolusi', 'evrim'],
  },
  {
    id: 'ai',
    parent: 'computing',
    strong: [
      'artificial intelligence', 'machine learning', 'deep learning', 'neural net', 'large language model', 'language model', 'llm', 'chatgpt', 'gpt-', 'turing test', 'reinforcement learning',
      'machine intelligence', 'machines mimicking', 'machines that think', 'thinking machine', 'intelligent machine', 'inteligencia artificial', 'redes neuronales', 'red neuronal', 'aprendizaje automático',
      'aprendizaje profundo', 'intelligence artificielle', 'réseaux de neurones', 'réseau de neurones', 'réseaux neuronaux', 'apprentissage automatique', 'künstliche intelligenz', 'neuronale netz',
      'maschinelles lernen', 'intelligenza artificiale', 'reti neurali', 'rete neurale', 'apprendimento automatico', 'inteligência artificial', 'redes neurais', 'rede neural', 'aprendizado de máquina',
      'kunstmatige intelligentie', 'neurale netwerk', 'искусственн интеллект', 'искусственный интеллект', 'нейросет', 'нейронн', 'машинное обучение', 'τεχνητή νοημοσύνη', 'νευρωνικ', '人工知能',
      'ニューラルネット', '機械学習', '深層学習', '人工智能', '人工智慧', '神经网络', '神經網路', '机器学习', '機器學習', '인공지능', '신경망', '머신러닝', '기계 학습', 'الذكاء الاصطناعي', 'الشبكات العصبية',
      'التعلم الآلي', 'कृत्रिम बुद्धिमत्ता', 'आर्टिफिशियल इंटेलिजेंस', 'मशीन लर्निंग', 'न्यूरल नेटवर्क', 'kecerdasan buatan', 'jaringan saraf', 'pembelajaran mesin', 'yapay zeka', 'yapay sinir', 'makine öğren',
    ],
    weak: ['ai$', 'a.i.', 'chatbot', 'algorithm'],
  },
  {
    id: 'computing',
    strong: ['programming', 'computer science', 'software engineering', 'coding'],
    weak: ['computer', 'software', 'code'],
  },
  {
    id: 'medicine',
    strong: [
      'medication', 'medicine', 'medical', 'prescription', 'dosage', 'diagnos', 'psychiatr', 'antidepress', 'pharmac', 'painkiller', 'mental disorder', 'mental illness', 'medicament', 'médicament',
      'medicamento', 'medikament', 'medicina', 'médic', 'medizin', 'farmac', 'arznei', 'лекарств', 'медицин', 'медикамент', 'φάρμακ', 'ιατρικ', '医療', '医学', '医疗', '의학', '약물',
      '의료', 'دواء', 'أدوية', 'दवा', 'चिकित्सा', 'obat', 'medis', 'ilaç', 'tıbbi',
    ],
    weak: ['薬', '药', '藥', 'doctor', 'disease', 'symptom', 'treatment', 'treated', 'therapy', 'disorder', 'drug', 'dose', 'illness', 'vaccine', 'pills', 'pill '],
  },
  {
    id: 'recipes',
    strong: [
      'recipe', 'cooking', 'cook ', 'cooked', 'bake ', 'baking', 'cuisine', 'receta', 'cocinar', 'cocina', 'recette', 'cuisiner', 'rezept', 'kochen', 'backen', 'ricetta', 'cucinare', 'receita', 'cozinhar',
      'recept$', 'recepten', 'koken', 'рецепт', 'приготов', 'готовить', 'συνταγ', 'μαγειρ', 'レシピ', '料理', '食谱', '菜谱', '做菜', '烹饪', '烹飪', '레시피', '요리', 'وصفة', 'طبخ', 'طهي',
      'रेसिपी', 'पकाने', 'व्यंजन', 'resep', 'memasak', 'masak', 'yemek tarif', 'yemek yap',
    ],
    weak: [
      'ingredient', 'dish ', 'dishes', 'meal', 'omelet', 'sushi', 'pizza', 'pasta', 'lasagn', 'paella', 'taco', 'burrito', 'curry', 'biryani', 'kimchi', 'moussaka', 'μουσακ', 'rendang', 'ramen', 'risotto', 'hummus',
      'falafel', 'kebab', 'goulash', 'borscht', 'dumpling', '作り方', '做法', '만드는 법', 'soup', 'stew ', 'stews', 'cake', 'cookie', 'bread', 'sauce', 'cheese', 'fromage', 'käse', 'queso', 'formaggio', 'queijo', 'daging', 'ayam', 'carne',
      'viande', 'fleisch', 'meat', 'chicken', 'pollo', 'poulet', 'сыр', 'мясо', '寿司', 'すし', 'ラーメン', 'カレー', '饺子', '蛋糕', '김치', '불고기',
    ],
  },
  {
    id: 'music',
    strong: [
      'music', 'composer', 'symphon', 'opera ', 'operas', 'melod', 'album', 'songwrit', 'música', 'musica', 'musique', 'musik', 'compositor', 'compositeur', 'komponist', 'komponiert', 'compositore',
      'compôs', 'canción', 'chanson', 'canzone', 'canção', 'музык', 'композитор', 'μουσικ', 'συνθέτ', '音楽', '作曲', '音乐', '歌曲', '음악', '작곡', 'موسيق', 'ملحن', 'أغنية',
      'संगीत', 'गाना', 'गीत', 'musik', 'lagu', 'müzik', 'şarkı', 'besteci',
    ],
    weak: ['song', 'singer', 'band$', 'bands', 'concert', 'guitar', 'piano', 'песн', 'τραγούδ', '歌', '노래'],
  },
  {
    id: 'sports',
    strong: [
      'sport', 'football', 'soccer', 'basketball', 'baseball', 'cricket', 'tennis', 'rugby', 'hockey', 'olympic', 'world cup', 'fifa', 'nba$', 'nfl$', 'deporte', 'fútbol', 'futbol', 'fußball', 'fussball',
      'calcio', 'futebol', 'спорт', 'футбол', 'αθλητ', 'ποδόσφαιρ', 'スポーツ', 'サッカー', '野球', '体育', '足球', '篮球', '스포츠', '축구', '야구', 'رياضة', 'كرة القدم', 'كرة السلة', 'क्रिकेट', 'फुटबॉल',
      'olahraga', 'sepak bola',
    ],
    weak: ['league', 'liga', 'ligue', 'lig ', 'खेल', 'лига', 'リーグ', '联赛', '리그', 'الدوري', 'tournament', 'championship', 'athlete', 'team', 'player'],
  },
  {
    id: 'film-tv',
    strong: [
      'movie', 'film', 'cinema', 'tv show', 'television', 'sitcom', 'cartoon', 'anime', 'animated series', 'hollywood', 'netflix', 'película', 'pelicula', 'cine', 'dibujos animados', 'cinéma',
      'dessin animé', 'dessins animés', 'zeichentrick', 'fernsehserie', 'cartoni animati', 'filme', 'desenho animado', 'фильм', 'кино', 'сериал', 'мультфильм', 'мультик', 'аниме', 'ταινί', 'κινούμεν σχέδι',
      'τηλεοπτικ', '映画', 'アニメ', 'ドラマ', 'テレビ番組', '漫画', '电影', '電影', '动画', '動畫', '动漫', '电视剧', '電視劇', '영화', '애니메이션', '드라마', 'فيلم', 'أفلام', 'مسلسل', 'رسوم متحركة',
      'फिल्म', 'सिनेमा', 'कार्टून', 'kartun', 'dizi', 'çizgi film',
    ],
    weak: ['episode', 'actor', 'actress', 'series', 'serie'],
  },
  {
    id: 'climate',
    strong: [
      'climate change', 'global warming', 'global temperature', 'greenhouse gas', 'carbon emission', 'co2 emission', 'sea level rise', 'climate crisis', 'cambio climático', 'calentamiento global',
      'changement climatique', 'réchauffement climatique', 'klimawandel', 'erderwärmung', 'cambiamento climatico', 'riscaldamento globale', 'mudança climática', 'mudanças climáticas', 'aquecimento global',
      'изменение климата', 'глобальное потепление', 'κλιματική αλλαγή', 'υπερθέρμανση', '気候変動', '地球温暖化', '气候变化', '氣候變化', '全球变暖', '기후 변화', '기후변화', '지구 온난화', 'تغير المناخ',
      'الاحتباس الحراري', 'जलवायु परिवर्तन', 'ग्लोबल वार्मिंग', 'perubahan iklim', 'pemanasan global', 'iklim değişikliği', 'küresel ısınma',
    ],
    weak: ['climate', 'emission', 'fossil fuel', 'carbon', 'clima', 'climat', 'klima', 'климат', '気候', '气候', '기후', 'المناخ', 'iklim'],
  },
  {
    id: 'cryptography',
    strong: [
      'cryptograph', 'encryption', 'encrypt', 'decrypt', 'cipher', 'steganograph', 'criptograf', 'cryptographie', 'kryptograph', 'verschlüssel', 'crittograf', 'криптограф', 'шифрован', 'κρυπτογραφ',
      '暗号', '加密', '密码学', '암호화', 'تشفير', 'क्रिप्टोग्राफी', 'kriptografi', 'şifreleme',
    ],
    weak: ['bitcoin', 'blockchain', 'cryptocurrenc', 'digital currency', 'ethereum', 'secret code', 'secretly communicat'],
  },
  {
    id: 'politics',
    strong: ['politic', 'election', 'polític', 'politique', 'politik', 'политик', 'выборы', 'выборах', 'πολιτικ', '政治', '选举', '정치', 'سياس', 'राजनीति', 'pemilu', 'siyaset', 'seçim'],
    weak: ['president', 'government', 'parliament', 'congress', 'democrat', 'republican', 'senator', 'vote', 'voting'],
  },
  {
    id: 'religion',
    strong: ['bible', 'quran', 'koran', 'islam', 'christian', 'buddhis', 'hinduism', 'judaism', 'religión', 'relig', 'религи', 'θρησκ', '宗教', '종교', 'دين', 'धर्म', 'agama'],
    weak: ['god', 'church', 'mosque', 'temple', 'prayer', 'jesus', 'allah'],
  },
  {
    id: 'finance',
    strong: ['investment', 'invest in', 'stock market', 'stocks', 'trading', 'forex', 'inversión', 'investissement', 'investition', 'investimento', 'инвестиц', 'επενδ', '投資', '投资', '투자', 'استثمار', 'निवेश', 'investasi', 'yatırım'],
    weak: ['portfolio', 'shares', 'dividend', 'broker', 'crypto'],
  },
  {
    id: 'weapons',
    strong: ['weapon', 'firearm', 'rifle', 'handgun', 'ammunition', 'explosive', 'arma de fuego', 'armes à feu', 'waffe', 'оружи', 'όπλ', '武器', '枪', '무기', 'سلاح', 'हथियार', 'senjata', 'silah'],
    weak: ['gun', 'pistol', 'bomb'],
  },
  {
    id: 'legal',
    strong: ['legal advice', 'lawsuit', 'attorney', 'litigation', 'asesoría legal', 'conseil juridique', 'rechtsberatung', 'юридическ', '法律相談', '法律咨询', '법률 자문', 'استشارة قانونية', 'कानूनी सलाह'],
    weak: ['lawyer', 'sue ', 'court ', 'contract law'],
  },
  {
    id: 'gambling',
    strong: ['gambling', 'casino', 'betting', 'poker', 'roulette', 'apuestas', 'jeux d\'argent', 'glücksspiel', 'azzardo', 'азартн', 'τζόγ', 'ギャンブル', '赌博', '도박', 'قمار', 'जुआ'],
    weak: ['bet ', 'lottery', 'slot machine'],
  },
];

const ANYWHERE_SCRIPT = /^[\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}\p{Script=Hangul}]/u;

const escape = (term: string): string => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A term ending in `$` is a whole word (`ai$` is "AI", not "aim"); others are word-start prefixes. */
const bounded = (term: string): string => (term.endsWith('$') ? `${escape(term.slice(0, -1))}(?![\\p{L}\\p{N}])` : escape(term));

function termPattern(terms: readonly string[]): RegExp | undefined {
  if (terms.length === 0) return undefined;
  const latin = terms.filter((term) => !ANYWHERE_SCRIPT.test(term)).map(bounded);
  const anywhere = terms.filter((term) => ANYWHERE_SCRIPT.test(term)).map(escape);
  const parts: string[] = [];
  // Sorted longest first so the alternation reports the most specific term.
  if (latin.length > 0) parts.push(String.raw`(?<![\p{L}\p{N}])(?:${latin.sort((a, b) => b.length - a.length).join('|')})`);
  if (anywhere.length > 0) parts.push(`(?:${anywhere.sort((a, b) => b.length - a.length).join('|')})`);
  return new RegExp(parts.join('|'), 'gu');
}

interface CompiledConcept {
  id: string;
  ancestors: readonly string[];
  strong: RegExp | undefined;
  weak: RegExp | undefined;
}

const COMPILED: readonly CompiledConcept[] = TOPIC_CONCEPTS.map((concept) => {
  const ancestors: string[] = [];
  for (let parent = concept.parent; parent; parent = TOPIC_CONCEPTS.find((entry) => entry.id === parent)?.parent) ancestors.push(parent);
  return { id: concept.id, ancestors, strong: termPattern(concept.strong.map((term) => term.toLowerCase())), weak: termPattern((concept.weak ?? []).map((term) => term.toLowerCase())) };
});

/** How strongly a text is about one concept: distinct strong and weak terms found. */
export interface TopicHit {
  id: string;
  ancestors: readonly string[];
  strong: number;
  weak: number;
}

function distinctMatches(pattern: RegExp | undefined, text: string): number {
  if (!pattern) return 0;
  const seen = new Set<string>();
  for (const match of text.matchAll(pattern)) seen.add(match[0].trim());
  return seen.size;
}

/**
 * The concepts a text (already lower-cased and normalized, with a trailing space so terms that end
 * in a space match at the end) mentions. Linear: one scan per concept over at most 20,000 characters.
 */
export function topicsIn(normalized: string): TopicHit[] {
  const text = `${normalized.slice(0, 20_000)} `;
  const hits: TopicHit[] = [];
  for (const concept of COMPILED) {
    const strong = distinctMatches(concept.strong, text);
    const weak = distinctMatches(concept.weak, text);
    if (strong + weak > 0) hits.push({ id: concept.id, ancestors: concept.ancestors, strong, weak });
  }
  return hits;
}
