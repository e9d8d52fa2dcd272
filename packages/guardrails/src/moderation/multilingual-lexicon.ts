/**
 * Non-English word lists (regex sources) for the local moderator, written from general knowledge of
 * each language: Spanish, French, German, Portuguese, Italian, Russian, Arabic, Hindi (Devanagari and
 * romanized), Chinese (simplified and traditional) and Japanese. Only the most important categories:
 * first-person self-harm and suicide intent, direct threats to the addressee, calls to kill a
 * protected group, slurs and dehumanizing generalizations, insults aimed at a person, and sexual
 * content involving minors (a sexual term and a minor term in the same sentence).
 *
 * Precision first: phrases are first-person or second-person and anchored ("quiero morir" only at
 * the end of a clause, so "quiero morir de risa" and "quiero morir en paz" do not match), and common
 * idioms ("matar el tiempo", "je meurs de faim", "ich sterbe vor Hunger", "morire dal ridere") are
 * never built into a pattern. Every source is a flat alternation with bounded gaps: no nested
 * quantifiers, so patterns stay linear. JavaScript `\b` is ASCII-only, so alphabetic languages are
 * wrapped in Unicode letter boundaries; Chinese and Japanese (no spaces) use exact phrases instead.
 */

/** One language's lists; each entry is a regex source over normalized (lower-case, NFKC) text. */
interface LanguageLexicon {
  /** Whether words are delimited by non-letters (false for Chinese and Japanese). */
  bounded: boolean;
  /** Optional clitic prefix allowed before a phrase (Arabic "و"/"ف" "and"). */
  prefix?: string;
  /** First-person wish to die, suicidal thoughts, self-injury. */
  selfHarm: readonly string[];
  /** First-person intent or plan to kill or hurt oneself. */
  selfHarmIntent: readonly string[];
  /** Direct threats to kill or hurt the addressee; "I hope you die"; "I know where you live". */
  threat: readonly string[];
  /** Calls to kill or exterminate a protected group. */
  killGroup: readonly string[];
  /** Slurs for protected groups, and "dirty <group>" insults. */
  slur: readonly string[];
  /** Dehumanizing generalizations ("<group> are rats"). */
  dehumanize: readonly string[];
  /** Insults aimed at the addressee ("eres un idiota", "du Arschloch", "你是废物"). */
  insultYou: readonly string[];
  /** Abusive phrases aimed at a person ("vete a la mierda", "ta gueule", "kill yourself"). */
  abuse: readonly string[];
  /** Strong insult words alone: a weak signal that only adds up with others. */
  insultBare: readonly string[];
  /** Sexual terms (acts, pornography, nude images), not anatomy, sex education or the genre word "erotic". */
  sexual: readonly string[];
  /** Terms for minors. */
  minor: readonly string[];
  /** Compounds that already name sexual content of minors ("pornografía infantil"). */
  minorSexual: readonly string[];
}

/** End of a clause: punctuation, a line break or the end of the text. */
const END = String.raw`(?=\s{0,3}(?:[.!?,;:…)\n¡¿؟،。！？，、]|$))`;
const A = '[اأإآ]';
/** Devanagari endings: हूँ/हूं/हु, लूंगा/लूँगी, दूंगा, डालूंगा. */
const HU = 'ह(?:ू|ु)(?:ँ|ं)?';
const LUNGA = 'ल(?:ूं|ूँ)ग(?:ा|ी)';
const DUNGA = 'द(?:ूं|ूँ)ग(?:ा|ी)';
const DALUNGA = 'डाल(?:ूं|ूँ)ग(?:ा|ी)';
const CHAHTA = 'चाहत(?:ा|ी)';
const AGE = '(?:[5-9]|1[0-7])';

// Protected groups per language (plural nouns as generalizations name them).
const ES_GROUPS = '(?:judíos|judios|musulmanes|moros|negros|gitanos|maricones|homosexuales|gays|gais|lesbianas|inmigrantes|migrantes|sudacas|árabes|arabes|indios|indígenas|indigenas|chinos|refugiados|transexuales|cristianos|latinos|mexicanos)';
const FR_GROUPS = '(?:juifs|musulmans|arabes|noirs|nègres|negres|homosexuels|gays|pédés|pedes|lesbiennes|immigrés|immigres|migrants|étrangers|etrangers|gitans|roms|bougnoules|youpins|chrétiens|chretiens|asiatiques|chinois|africains|maghrébins|maghrebins|réfugiés|refugies|tsiganes)';
const DE_GROUPS = '(?:juden|muslime|moslems|türken|tuerken|araber|schwarzen|neger|ausländer|auslaender|flüchtlinge|fluechtlinge|migranten|zigeuner|kanaken|kanacken|schwulen|schwule|homos|lesben|asylanten|afrikaner|christen|transen)';
const PT_GROUPS = '(?:judeus|muçulmanos|muculmanos|negros|pretos|gays|viados|homossexuais|imigrantes|ciganos|árabes|arabes|nordestinos|índios|indios|refugiados|lésbicas|lesbicas|travestis|sapatões|sapatoes|africanos|haitianos|venezuelanos)';
const IT_GROUPS = '(?:ebrei|musulmani|neri|negri|froci|gay|omosessuali|immigrati|migranti|zingari|rom|arabi|africani|stranieri|terroni|clandestini|extracomunitari|lesbiche|cristiani|cinesi|marocchini|albanesi|rumeni)';
const RU_ACC = '(?:евреев|жидов|чурок|хачей|черных|чёрных|негров|мусульман|геев|пидоров|пидорасов|цыган|мигрантов|хохлов|москалей|таджиков|узбеков|кавказцев|чеченцев|армян|азеров|китайцев|христиан)';
const RU_DAT = '(?:евреям|жидам|чуркам|хачам|черным|чёрным|неграм|мусульманам|геям|пидорам|пидорасам|цыганам|мигрантам|хохлам|москалям|кавказцам|чеченцам)';
const RU_NOM = '(?:евреи|жиды|чурки|хачи|черные|чёрные|негры|мусульмане|геи|пидоры|пидорасы|цыгане|мигранты|хохлы|москали|кавказцы)';
const AR_GROUPS = `(?:اليهود|المسلمين|المسيحيين|النصارى|الشيعة|السنة|المثليين|الشواذ|الكفار|العرب|السود|اللاجئين|ال${A}كراد|الروافض|الملحدين|اليزيديين)`;
const AR_GROUPS_LI = `(?:لليهود|للمسلمين|للمسيحيين|للنصارى|للشيعة|للسنة|للمثليين|للشواذ|للكفار|للعرب|للسود|للاجئين|لل${A}كراد|للروافض|للملحدين)`;
const HI_GROUPS = '(?:मुसलमानों|मुल्लों|कटुओं|हिंदुओं|हिन्दुओं|दलितों|ईसाइयों|सिखों|musalmano|musalmaano|mullo|katuo|katuon|hinduo|dalito|isaiyo)';
const ZH_GROUPS = '(?:黑人|黑鬼|犹太人|猶太人|穆斯林|回族|同性恋|同性戀|基佬|日本人|鬼子|外国人|外國人|维吾尔人|維吾爾人|藏人|印度人|阿三)';
const JA_GROUPS = '(?:朝鮮人|韓国人|チョン|中国人|支那人|シナ人|在日|黒人|ユダヤ人|外国人|ホモ|同性愛者|アイヌ|外人)';

const LANGUAGES: Readonly<Record<string, LanguageLexicon>> = {
  es: {
    bounded: true,
    selfHarm: [
      `(?:quiero|quisiera|deseo|necesito|solo quiero|sólo quiero|yo quiero) (?:morir|morirme)${END}`,
      'me quiero morir(?! de)',
      `(?:ya )?no quiero (?:seguir )?vivir(?: más| mas)?${END}`,
      'no quiero seguir viviendo|no quiero (?:seguir|estar) viv[oa]',
      '(?:tengo|tuve) (?:pensamientos|ideas) suicidas|(?:estoy|me siento) suicida|pienso en (?:suicidarme|matarme|el suicidio|quitarme la vida)',
      '(?:me corto|me estoy cortando|cortarme|me corté|me corte) (?:las venas|las muñecas|los brazos)|me autolesiono|autolesionarme',
      '(?:estaría|estaria) mejor muert[oa]|mejor (?:estaría|estaria) muert[oa]|ojalá estuviera muert[oa]|ojala estuviera muert[oa]',
    ],
    selfHarmIntent: [
      '(?:voy a|quiero|pienso|planeo|estoy pensando en|he decidido|necesito) (?:suicidarme|matarme|quitarme la vida|acabar con mi vida)',
      `me (?:voy a|quiero) (?:suicidar|quitar la vida)|me (?:voy a|quiero) matar(?:${END}| hoy| esta noche| ya)`,
      'esta noche me (?:mato|suicido)',
    ],
    threat: [
      '(?:te|os) (?:voy|vamos) a (?:matar|asesinar|apuñalar|degollar|ahorcar|descuartizar|violar|pegar un tiro|meter un tiro|volar la cabeza|reventar|partir la cara|romper la cara|quemar viv[oa])(?! (?:a besos|a cosquillas|a abrazos|de risa|de amor))',
      '(?:voy|vamos) a (?:matarte|mataros|asesinarte|apuñalarte|degollarte|violarte|reventarte|ahorcarte|descuartizarte)',
      `te (?:mataré|matare)|te mato${END}|(?:sé|se) dónde vives|se donde vives|eres (?:un )?hombre muerto`,
      'ojalá te mueras|ojala te mueras|espero que te mueras',
    ],
    killGroup: [
      `(?:matar|maten|matemos|hay que matar|exterminar|exterminen|exterminemos|gasear|fusilar|ahorcar|muerte) (?:(?:a|todos|todas|los|las|esos|esas|estos|estas) ){0,3}${ES_GROUPS}`,
      `${ES_GROUPS} (?:deberían|deberian|merecen|tienen que|deben) (?:todos )?(?:morir|ser exterminad[oa]s|ser asesinad[oa]s|ser gaseados|arder)`,
    ],
    slur: ['maric[oó]n(?:es)?|mariconazo|sudacas?|negratas?|bolleras?', '(?:negro|negra|judío|judio|judía|judia|moro|mora|gitano|gitana|sudaca|indio|musulmán|musulman|maric[oó]n) de mierda'],
    dehumanize: [
      `${ES_GROUPS} (?:son|eran|no son más que|no son mas que) (?:(?:todos|todas|unos|unas|una|un|solo|sólo|como|unas simples|unos simples) ){0,2}(?:ratas|animales|basura|escoria|parásitos|parasitos|cucarachas|una plaga|inferiores|subhumanos|salvajes|bestias|cerdos|perros|monos|gusanos|una enfermedad|un cáncer|un cancer|una lacra|delincuentes|terroristas|violadores|pedófilos|pedofilos|degenerados|una abominación|mierda)`,
    ],
    insultYou: [
      '(?:eres|sos|tú eres|tu eres|vos sos|sois) (?:(?:un|una|el|la|más|mas|muy|tan|puto|puta|pinche|maldito|maldita|pedazo de|gran|menudo|menuda|asqueroso|asquerosa|estúpido|estúpida|completo|completa|auténtico|autentico|verdadero|verdadera|jodido|jodida|otro|otra) ){0,3}(?:idiota|imbécil|imbecil|estúpid[oa]|estupid[oa]|pendej[oa]|gilipollas|cabr[oó]n|cabrona|hij[oa] de (?:puta|perra)|puta|zorra|perra|mierda|basura|escoria|subnormal|retrasad[oa]|tarad[oa]|inútil|inutil|mongólic[oa]|mongolic[oa]|malparid[oa]|maric[oó]n|cerd[oa]|asqueros[oa]|desgraciad[oa]|tont[oa]|fe[oa]|gord[oa]|patétic[oa]|patetic[oa]|payas[oa]|rata|parásito|parasito|lacra|cretin[oa])',
      '(?:pinche|puto|maldito|maldita|pedazo de|grandísimo|grandisimo|grandísima|asqueroso|asquerosa) (?:idiota|imbécil|imbecil|estúpid[oa]|estupid[oa]|pendej[oa]|gilipollas|cabr[oó]n|zorra|perra|subnormal|retrasad[oa]|tarad[oa]|mongólic[oa]|malparid[oa]|maric[oó]n|cerd[oa]|desgraciad[oa]|mierda|basura)',
    ],
    abuse: [
      'hij[oa]s? de (?:puta|perra)|hijueputa|vete a la (?:mierda|verga|chingada)|váyase a la mierda|que te (?:jodan|follen|den por culo)|chinga tu madre|chingas a tu madre|me cago en tu (?:puta )?madre|vete al carajo|cállate la boca|callate la boca',
      `(?:mátate|matate|suicídate|suicidate|muérete|muerete)(?! de)|nadie te quiere${END}|el mundo (?:estaría|estaria) mejor sin ti|chúpame la (?:polla|verga)|chupame la (?:polla|verga)`,
    ],
    insultBare: ['gilipollas|pendej[oa]|malparid[oa]|imbécil|subnormal'],
    sexual: [
      'porno\\p{L}{0,12}|(?:fotos?|vídeos?|videos?|imágenes|imagenes) (?:de )?(?:desnud[oa]s?|íntimas|intimas|sexuales|pornográficas|pornograficas)|desnúdate|desnudate|nudes',
      'sexo (?:con|oral|anal|explícito|explicito)|tener sexo|hacer el amor con|relaciones sexuales con|follar\\p{L}{0,6}|masturb\\p{L}{0,10}|chupar(?:le|me)? (?:la polla|el pene|la verga|la pija)',
    ],
    minor: [`niñ[oa]s?|menor(?:es)? de edad|(?:una|un|unos|unas|con) menor(?:es)?|${AGE} años|colegial[ae]s?|preadolescentes?|prepúberes?|prepuberes?|bebés?|infantil(?:es)?`],
    minorSexual: ['pornografía infantil|pornografia infantil|porno infantil|pedopornografía|pedopornografia'],
  },
  fr: {
    bounded: true,
    selfHarm: [
      `(?:je veux|je voudrais|j'ai envie de|jai envie de|j ai envie de|je souhaite) (?:mourir|crever)${END}`,
      `je (?:ne )?veux plus vivre${END}|(?:je n'ai|j'ai|jai|je nai) plus envie de vivre`,
      "je suis suicidaire|(?:j'ai|jai|j ai) des (?:pensées|pensees|idées|idees) suicidaires|je pense (?:au suicide|à me suicider|a me suicider|à me tuer|a me tuer)",
      'je me (?:scarifie|mutile|taillade|coupe les veines)|me (?:scarifier|mutiler)',
      'mettre fin à mes jours|mettre fin a mes jours|mettre fin à ma vie|mettre fin a ma vie|en finir avec (?:la|ma) vie',
    ],
    selfHarmIntent: [
      "(?:je vais|je veux|j'ai envie de|jai envie de|je compte|j'ai décidé de|j'ai decide de) (?:me suicider|me tuer(?! (?:à|a|au) )|mettre fin à mes jours|mettre fin a mes jours|mettre fin à ma vie|en finir avec (?:la|ma) vie|me foutre en l'air)",
    ],
    threat: [
      "(?:je vais|j'vais|jvais|je veux|on va|nous allons|je compte) (?:te|vous) (?:tuer|buter|crever|massacrer|égorger|egorger|poignarder|violer|défoncer|defoncer|faire la peau|casser la gueule|étrangler|etrangler|brûler|bruler|flinguer|tirer dessus)",
      "(?:je vais|j'vais|jvais|je veux|on va) t'(?:égorger|egorger|étrangler|etrangler|éclater|eclater|exploser|éventrer|eventrer)",
      "je (?:te|vous) (?:tuerai|buterai|égorgerai|egorgerai)|je sais où tu (?:habites|vis|dors)|je sais ou tu (?:habites|vis|dors)|t'es un homme mort|tu es un homme mort",
      "j'espère que tu (?:vas )?(?:crever|crèves|creves|meurs|mourras)|j'espere que tu (?:vas )?(?:crever|creves|meurs)",
    ],
    killGroup: [
      `(?:mort aux|tuer|tuez|il faut tuer|exterminer|exterminez|gazer|gazez|massacrer|massacrez|éliminer|pendre|brûler|bruler) (?:(?:tous|toutes|les|ces) ){0,2}${FR_GROUPS}`,
      `${FR_GROUPS} (?:doivent|devraient|méritent de|meritent de) (?:tous )?(?:mourir|crever|être exterminés|etre extermines|être gazés|etre gazes|brûler|bruler)`,
    ],
    slur: [
      'bougnoules?|youpins?|youpines?|bicots?|pédés?|tarlouzes?|gouines?|chinetoques?|négros?',
      'sale (?:arabe|juif|juive|noir|noire|nègre|negre|négro|pédé|pede|gouine|bougnoule|bicot|youpin|rebeu|renoi|gitan|gitane|romanichel|chinetoque|bridé|bridée|tapette)',
    ],
    dehumanize: [
      `${FR_GROUPS} (?:sont|ne sont que) (?:(?:tous|toutes|des|de|une|un|que|juste|vraiment|comme|de la|du) ){0,2}(?:rats|animaux|déchets|dechets|ordures|vermine|parasites|cafards|une plaie|inférieurs|inferieurs|sous-hommes|sauvages|bêtes|betes|porcs|chiens|singes|une maladie|un cancer|racailles|terroristes|violeurs|pédophiles|pedophiles|dégénérés|degeneres|une abomination|merde)`,
    ],
    insultYou: [
      "(?:t'es|t es|tu es|vous êtes|vous etes) (?:(?:un|une|vraiment|tellement|trop|si|grand|gros|grosse|sale|pauvre|petit|petite|putain de|vrai|vraie|complètement|completement|qu'un|qu'une|rien qu'un|rien qu'une) ){0,3}(?:connard|connasse|conne|con|cons|salope|salaud|pute|enculé|encule|enculée|abruti|abrutie|crétin|cretin|crétine|débile|debile|idiot|idiote|imbécile|imbecile|merde|ordure|pourriture|raclure|fils de pute|bâtard|batard|bâtarde|pétasse|petasse|trou du cul|tocard|tocarde|minable|mongol|mongole|attardé|attardée|attarde|cassos|bouffon|bouffonne|sous-merde|moche|laide|dégueulasse|degueulasse|pathétique|pathetique|inutile|déchet|dechet|pédé|tapette|gogol|naze|porc|truie|chienne)",
      "(?:sale|espèce de|espece de|gros|grosse|pauvre|petit|petite) (?:connard|connasse|conne|con|salope|pute|enculé|encule|abruti|abrutie|crétin|cretin|débile|debile|idiot|idiote|imbécile|imbecile|merde|ordure|pourriture|raclure|bâtard|batard|pétasse|petasse|tocard|mongol|attardé|bouffon|pédé|tapette|gogol)|(?:espèce|espece) d'(?:idiot|idiote|imbécile|imbecile|abruti|abrutie|enculé|encule|ordure|attardé)",
    ],
    abuse: [
      "fils de (?:pute|chienne)|nique ta (?:mère|mere|race)|ntm|ta gueule|ferme ta gueule|va te faire (?:foutre|enculer)|va (?:crever|mourir)|crève (?:salope|connard|connasse|en enfer)|creve (?:salope|connard|en enfer)",
      "suicide-toi|tue-toi|pends-toi|personne ne t'aime|le monde serait meilleur sans toi|je t'emmerde|suce ma bite",
    ],
    insultBare: ['connard|connasse|salope|enculé|fils de pute'],
    sexual: [
      "porno\\p{L}{0,12}|(?:photos?|vidéos?|videos?|images) (?:de )?(?:nu|nue|nues|nus|intimes|sexuelles|porno\\p{L}{0,6})|nudes",
      "(?:relations|rapports) sexuels? avec|relations sexuelles avec|faire l'amour (?:avec|à|a)|fellation\\p{L}{0,2}|masturb\\p{L}{0,10}",
    ],
    minor: [`enfants?|gamin(?:e|es|s)?|fillettes?|petite fille|petits? garçons?|(?:une|un|des|avec) mineur(?:e|es|s)?|${AGE} ans|écolières?|ecolieres?|collégiennes?|collegiennes?|préados?|preados?|bébés?|bebes?`],
    minorSexual: ['pédopornographi\\p{L}{0,4}|pedopornographi\\p{L}{0,4}|pornographie infantile|porno infantile'],
  },
  de: {
    bounded: true,
    selfHarm: [
      `ich (?:will|möchte|moechte) (?:(?:einfach|nur|endlich|lieber|jetzt) ){0,2}sterben${END}`,
      'ich (?:will|möchte|moechte|kann) nicht mehr leben|ich will tot sein|ich (?:wäre|waere) lieber tot|ich (?:wünschte|wuenschte),? ich (?:wäre|waere) tot',
      '(?:ich habe|ich hab|ich hatte) (?:selbstmordgedanken|suizidgedanken)|ich bin (?:suizidal|selbstmordgefährdet|selbstmordgefaehrdet)|ich denke (?:an|über|ueber) (?:selbstmord|suizid)',
      'ich ritze mich|ich verletze mich selbst|mich (?:selbst )?ritzen',
    ],
    selfHarmIntent: [
      'ich (?:will|möchte|moechte|werde|werd) (?:mich|mir)(?: (?:einfach|heute|jetzt|endlich|morgen|bald|selbst|gleich|heute nacht|noch heute)){0,2} (?:umbringen|töten|toeten|das leben nehmen|erhängen|erhaengen|aufhängen|aufhaengen)',
      `ich (?:bring|bringe) mich um${END}|ich (?:werde|will) selbstmord begehen|ich begehe selbstmord`,
    ],
    threat: [
      `(?:ich|wir) (?:bring|bringe|bringen) (?:dich|euch|ihn) (?:(?:noch|eigenhändig|alle|heute|morgen) ){0,2}um${END}`,
      '(?:ich|wir) (?:werde|werden|will|wollen|werd) (?:dich|euch|ihn)(?: (?:noch|eigenhändig|alle|heute|morgen|einfach)){0,2} (?:umbringen|töten|toeten|abstechen|erschießen|erschiessen|abknallen|kaltmachen|totschlagen|vergewaltigen|erwürgen|erwuergen|abschlachten|aufschlitzen)',
      '(?:ich|wir) (?:töte|toete|töten|stech|steche|schlag|schlage|knall|knalle|mach|mache) (?:dich|euch) (?:tot|ab|kalt)|ich töte dich|ich toete dich',
      'ich (?:weiß|weiss),? wo du wohnst|du bist ein toter mann|ich hoffe,? du (?:stirbst|verreckst|krepierst)',
    ],
    killGroup: [
      `(?:tötet|toetet|erschießt|erschiesst|vergast|hängt|haengt|verbrennt|tod den|tod allen) (?:(?:alle|die|diese|den) ){0,2}${DE_GROUPS}`,
      `${DE_GROUPS} ins gas|${DE_GROUPS} (?:müssen|muessen|sollen|sollten|gehören|gehoeren) (?:alle )?(?:sterben|vergast werden|getötet werden|getoetet werden|erschossen werden|ausgerottet werden|vernichtet werden|ins gas|an die wand gestellt werden)`,
    ],
    slur: [
      'kanaken?|kanacken?|neger|negern|schwuchteln?|judensau|judenschwein|kameltreiber|kümmeltürken?|kuemmeltuerken?',
      '(?:scheiß|scheiss|dreckige|dreckiger|dreckigen) (?:juden|jude|türken|türke|ausländer|kanaken|neger|schwuchtel|schwuchteln|moslems|zigeuner|araber)',
    ],
    dehumanize: [
      `${DE_GROUPS} (?:sind|waren) (?:(?:alle|nur|doch|einfach|wie|eine|ein|nichts als|bloß|bloss) ){0,2}(?:ratten|tiere|abschaum|ungeziefer|parasiten|kakerlaken|eine plage|minderwertig|untermenschen|wilde|bestien|schweine|hunde|affen|dreck|eine krankheit|ein krebsgeschwür|kriminelle|terroristen|vergewaltiger|pädophile|paedophile|degeneriert|pack|gesindel|müll|muell)`,
    ],
    insultYou: [
      '(?:du bist|bist du|ihr seid) (?:(?:ein|eine|so ein|so eine|echt|voll|total|ja|doch|wirklich|so|einfach|nur|richtig|verdammter|verdammte|verdammtes|dummes|blödes|bloedes|kleines|fettes|hässliches|dreckiges|elendes|widerliches|dummer|dumme|blöder|bloeder|blöde|bloede|kleiner|kleine|fetter|fette|hässlicher|hässliche|dreckiger|dreckige|elender|elende|scheiß|scheiss|absoluter|absolute|kompletter|komplette|der letzte|die letzte) ){0,3}(?:idiot|idiotin|vollidiot|arschloch|wichser|hurensohn|schlampe|hure|fotze|missgeburt|spast|spasti|behindert|dummkopf|depp|trottel|penner|versager|versagerin|mistkerl|drecksau|dreckstück|drecksstück|bastard|nutte|schwachkopf|hackfresse|dumm|hässlich|haesslich|fett|nutzlos|wertlos|erbärmlich|erbaermlich|ekelhaft|widerlich|abschaum|schwuchtel|dämlich|daemlich|vollpfosten|kackbratze|pisser|mongo|schwein|miststück|miststueck|lügner|luegner)',
      'du (?:(?:verdammter|verdammte|dummer|dumme|blöder|bloeder|blöde|kleiner|kleine|fetter|fette|hässlicher|hässliche|dreckiger|dreckige|elender|elende|scheiß|scheiss|widerlicher|widerliche) ){0,2}(?:idiot|vollidiot|arschloch|wichser|hurensohn|schlampe|hure|fotze|missgeburt|spast|spasti|dummkopf|trottel|penner|versager|mistkerl|drecksau|dreckstück|bastard|nutte|schwachkopf|hackfresse|abschaum|schwuchtel|vollpfosten|kackbratze|pisser|mongo|miststück|miststueck|idiotin)',
    ],
    abuse: [
      "fick dich|fick deine mutter|halt die fresse|halt's maul|halts maul|halt dein maul|verpiss dich|geh sterben|stirb (?:doch|einfach|endlich)|häng dich auf|haeng dich auf|leck mich am arsch",
      `bring dich (?:doch |endlich |einfach )?um${END}|niemand (?:mag|liebt) dich|die welt (?:wäre|waere) besser ohne dich|ich fick(?:e)? deine mutter|deine mutter ist eine (?:hure|nutte|schlampe)`,
    ],
    insultBare: ['arschloch|wichser|hurensohn|fotze|missgeburt'],
    sexual: [
      'porno\\p{L}{0,12}|nacktbilder|nacktfotos?|nacktvideos?|sexbilder|sexvideos?|sex mit|sex haben|geschlechtsverkehr|ficken|fickt|gefickt|masturb\\p{L}{0,8}|wichsen|sexuelle handlungen',
    ],
    minor: [`kinder|kindern|kindes|(?:kleine|kleines|kleinen) (?:mädchen|maedchen)|minderjährig\\p{L}{0,3}|minderjaehrig\\p{L}{0,3}|${AGE} jahre?n?|${AGE}-jährig\\p{L}{0,3}|schülerin(?:nen)?|schuelerin(?:nen)?|schulmädchen|kleinkind\\p{L}{0,3}`],
    minorSexual: ['kinderporno\\p{L}{0,10}|kinderpornografie|kinderpornographie|kindersex'],
  },
  pt: {
    bounded: true,
    selfHarm: [
      `(?:eu )?(?:quero|queria|só quero|so quero) morrer${END}`,
      `(?:não|nao) (?:quero|aguento) mais viver${END}|(?:não|nao) quero viver mais`,
      '(?:tenho|tive) pensamentos suicidas|(?:estou|me sinto) suicida|penso em (?:suicídio|suicidio|me matar|me suicidar|tirar (?:a )?minha vida)',
      '(?:cortar|corto|cortei) os (?:meus )?pulsos|me automutilo|me mutilo',
    ],
    selfHarmIntent: [
      '(?:vou|quero|eu vou|eu quero|decidi|vou-me) (?:me suicidar|suicidar-me|tirar (?:a )?minha (?:própria |propria )?vida|acabar com (?:a )?minha vida|matar-me)',
      '(?:vou|quero|eu vou|eu quero|decidi) me matar(?! de)|vou-me matar(?! de)|(?:eu )?me quero (?:matar|suicidar)(?! de)',
    ],
    threat: [
      'vou te (?:matar|esfaquear|estuprar|enforcar|degolar|dar um tiro|meter bala|encher de bala|quebrar (?:todo|inteiro)|encher de porrada|arrebentar)(?! (?:de beijos|de rir|de cócegas|de cocegas|de amor))|(?:vou|vamos) (?:matar|esfaquear|estuprar|degolar) (?:você|voce|vc|vocês|voces)|(?:vou|vamos) (?:matar-te|matá-lo|matá-la|matá-los)',
      `(?:eu )?te mato${END}|te matarei|vamos te matar|sei onde (?:você|voce|vc|tu) mora|espero que (?:você|voce|vc|tu) morra`,
    ],
    killGroup: [
      `(?:matar|mate|matem|matemos|exterminar|exterminem|morte|queimar|fuzilar|enforcar) (?:(?:a|aos|às|as|todos|todas|os|esses|essas|estes|estas) ){0,3}${PT_GROUPS}`,
      `${PT_GROUPS} (?:devem|deveriam|merecem|têm que|tem que|precisam) (?:todos )?(?:morrer|ser exterminad[oa]s|ser mort[oa]s|ser queimad[oa]s)`,
    ],
    slur: ['viados?|sapatões|sapatoes|sapatona', '(?:seu|sua) (?:macaco|macaca|crioulo|crioula)|(?:negro|negra|preto|preta|judeu|judia|viado|cigano|cigana|nordestino|macaco) (?:imundo|imunda|nojento|nojenta|de merda|fedorento)'],
    dehumanize: [
      `${PT_GROUPS} (?:são|sao|eram) (?:(?:todos|todas|uns|umas|uma|um|só|so|apenas|como) ){0,2}(?:ratos|animais|lixo|escória|escoria|parasitas|baratas|uma praga|inferiores|sub-humanos|subumanos|selvagens|bestas|porcos|cachorros|macacos|vermes|uma doença|uma doenca|um câncer|um cancer|bandidos|terroristas|estupradores|pedófilos|pedofilos|degenerados|uma abominação|uma abominacao|merda)`,
    ],
    insultYou: [
      '(?:você é|voce é|voce e|vc é|vc eh|você eh|tu és|tu é|vocês são|voces sao|vcs são|vcs sao) (?:(?:um|uma|o|a|muito|tão|tao|mais|grande|completo|completa|verdadeiro|verdadeira|baita|mesmo|mesma|bem|pior|puta de) ){0,3}(?:idiota|imbecil|burr[oa]|otári[oa]|otari[oa]|babaca|retardad[oa]|lixo|merda|puta|vagabund[oa]|vadia|piranha|arrombad[oa]|filh[oa] da puta|fdp|corno|escrot[oa]|desgraçad[oa]|desgracad[oa]|inútil|inutil|nojent[oa]|estúpid[oa]|estupid[oa]|cuzão|cuzao|bosta|imund[oa]|feio|feia|gord[oa]|ridícul[oa]|ridicul[oa]|patétic[oa]|patetic[oa]|palhaç[oa]|palhac[oa]|cretin[oa]|débil mental|debil mental|verme|parasita|trouxa|canalha)',
      '(?:seu|sua|seus|suas) (?:(?:grande|maldito|maldita|pobre) ){0,2}(?:idiota|imbecil|otári[oa]|otari[oa]|babaca|retardad[oa]|vagabund[oa]|vadia|piranha|arrombad[oa]|filh[oa] da puta|corno|escrot[oa]|desgraçad[oa]|desgracad[oa]|nojent[oa]|estúpid[oa]|estupid[oa]|cuzão|cuzao|imund[oa]|cretin[oa]|canalha|verme|puta|trouxa|idiotas|imbecis)',
    ],
    abuse: [
      'vai (?:se foder|te foder|tomar no cu|à merda|pro inferno|pra puta que (?:te|o) pariu)|vá se foder|vai-te foder|foda-se (?:você|voce|vc|tu)|cala a boca|cala boca|cala a porra da boca',
      `(?:vai|vá|va) se matar|se mata logo|se mata${END}|ninguém gosta de você|ninguem gosta de voce|o mundo seria melhor sem (?:você|voce|ti)|filh[oa] da puta|chupa meu pau`,
    ],
    insultBare: ['arrombad[oa]|babaca|otário|otario|escrot[oa]'],
    sexual: [
      'porn[oô]\\p{L}{0,12}|pornografia|nudes|(?:fotos?|vídeos?|videos?) (?:pelad[oa]s?|nu[as]?|íntimas|intimas|sensuais|eróticas|eroticas)',
      'sexo (?:com|oral|anal)|fazer sexo|transar|transando|foder|fodendo|masturb\\p{L}{0,10}|chupar (?:meu|o|seu) pau|punheta',
    ],
    minor: [`crianças?|criancas?|menininh[oa]s?|menor(?:es)? de idade|(?:uma|um|com) menor(?:es)?|${AGE} anos|novinh[oa]s?|garotinh[oa]s?|infantil|infantis|bebês?|colegiais?|pré-adolescentes?|pre-adolescentes?`],
    minorSexual: ['pornografia infantil|pedopornografia|porn[oô] infantil'],
  },
  it: {
    bounded: true,
    selfHarm: [
      `(?:voglio|vorrei|io voglio|voglio solo) morire${END}`,
      `non (?:voglio|ce la faccio) (?:più|piu) (?:a )?vivere${END}`,
      'ho pensieri suicidi|sono suicida|penso al suicidio|penso di (?:uccidermi|suicidarmi|ammazzarmi|togliermi la vita)',
      "mi (?:taglio|sono tagliat[oa]) (?:le vene|i polsi)|tagliarmi (?:le vene|i polsi)|mi faccio del male da sol[oa]",
    ],
    selfHarmIntent: [
      '(?:voglio|sto per|ho deciso di|penso di|vado a|adesso vado a) (?:suicidarmi|uccidermi|ammazzarmi|togliermi la vita|farla finita(?! con))',
      'mi voglio (?:suicidare|uccidere|ammazzare|togliere la vita)|mi (?:suicido|suiciderò|suicidero|ucciderò|uccidero|ammazzerò|ammazzero)',
    ],
    threat: [
      '(?:ti|vi) (?:ammazzo|uccido|ucciderò|uccidero|ammazzerò|ammazzero|sparo in testa|accoltello|sgozzo|strangolo|stupro|faccio fuori|spacco la faccia|spacco la testa|rompo la faccia|brucio viv[oa])(?! di (?:baci|coccole|solletico))',
      '(?:voglio|vado a|sto per|vengo a) (?:ucciderti|ammazzarti|sgozzarti|spararti|accoltellarti|stuprarti|strangolarti)',
      'so dove (?:abiti|vivi)|sei un uomo morto|spero che tu (?:muoia|crepi)',
    ],
    killGroup: [
      `(?:morte|uccidere|uccidete|ammazzare|ammazzate|ammazziamo|sterminare|sterminate|bruciare|bruciate|impiccare|fucilare|gasare|gassare) (?:(?:a|ai|agli|alle|tutti|tutte|i|gli|le|questi|quei|quegli|quelle) ){0,3}${IT_GROUPS}`,
      `${IT_GROUPS} (?:devono|dovrebbero|meritano di|vanno) (?:tutti )?(?:morire|essere sterminati|essere uccisi|sterminati|ammazzati|bruciati|gasati|impiccati)`,
    ],
    slur: [
      'froci[oa]?|ricchion[ei]|culattoni?',
      '(?:sporco|sporca|lurido|lurida|schifoso|schifosa) (?:negro|negra|ebreo|ebrea|frocio|zingaro|zingara|arabo|terrone|terrona|marocchino|musulmano|giudeo)|(?:negro|ebreo|zingaro|terrone|frocio|marocchino) di merda',
    ],
    dehumanize: [
      `${IT_GROUPS} (?:sono|erano) (?:(?:tutti|tutte|solo|soltanto|dei|delle|degli|una|un|come|solamente) ){0,2}(?:ratti|topi|animali|spazzatura|feccia|parassiti|scarafaggi|una piaga|inferiori|subumani|selvaggi|bestie|porci|maiali|cani|scimmie|vermi|una malattia|un cancro|delinquenti|criminali|terroristi|stupratori|pedofili|degenerati|un abominio|merda)`,
    ],
    insultYou: [
      "(?:sei|tu sei|siete) (?:(?:un|una|uno|proprio|davvero|veramente|solo|soltanto|così|cosi|troppo|molto|tanto|gran|grande|il più|la più|povero|povera|vero|vera|solito|solita|fottuto|fottuta|lurido|lurida|brutto|brutta) ){0,3}(?:idiota|imbecille|stronz[oa]|coglione|cogliona|deficiente|cretin[oa]|scem[oa]|stupid[oa]|puttana|troia|zoccola|bastard[oa]|figli[oa] di puttana|testa di cazzo|pezzo di merda|merda|schifos[oa]|ritardat[oa]|mongoloide|handicappat[oa]|fallit[oa]|inutile|froci[oa]|cesso|grass[oa]|brutt[oa]|sfigat[oa]|demente|verme|parassita|rincoglionit[oa]|idioti|stronzi)|sei un'(?:idiota|imbecille|inutile|handicappata|ritardata|puttana)",
      '(?:brutt[oa]|sporc[oa]|lurid[oa]|grandissim[oa]|razza di|specie di) (?:idiota|imbecille|stronz[oa]|coglione|cogliona|deficiente|cretin[oa]|scem[oa]|puttana|troia|zoccola|bastard[oa]|figlio di puttana|schifos[oa]|ritardat[oa]|mongoloide|fallit[oa]|froci[oa]|cesso|maiale|verme|parassita|rincoglionit[oa])',
    ],
    abuse: [
      "vaffanculo|vai a fare in culo|va' a fare in culo|vai a farti fottere|fottiti|vai a morire ammazzat[oa]|figli[oa] di puttana|testa di cazzo|pezzo di merda|chiudi quella (?:cazzo di )?(?:bocca|fogna)",
      'stai zitt[oa],? (?:coglione|idiota|stronz[oa]|deficiente|cretin[oa])|nessuno ti vuole(?: bene)?|il mondo sarebbe migliore senza di te|vai ad ammazzarti|vai a impiccarti|ucciditi',
    ],
    insultBare: ['stronz[oa]|coglione|puttana|troia'],
    sexual: [
      "porno\\p{L}{0,12}|(?:foto|video) (?:nud[ei]|osé|intime|hard|porno)|fare sesso|sesso (?:con|orale|anale)|pompin\\p{L}{1,2}|masturb\\p{L}{0,10}|rapporti sessuali con",
    ],
    minor: [`bambin[oaie]|bimb[oaie]|minorenn[ei]|${AGE} anni|ragazzin[oaie]|scolarett[ae]|neonat[oaie]`],
    minorSexual: ['pedopornografi\\p{L}{1,2}|pornografia (?:infantile|minorile)|pedo ?porno'],
  },
  ru: {
    bounded: true,
    selfHarm: [
      `(?:я )?(?:хочу|хочется|мне хочется|просто хочу) (?:умереть|сдохнуть)${END}`,
      `(?:я )?не хочу (?:больше )?жить${END}|не хочу жить больше`,
      '(?:я )?(?:думаю|мысли) о самоубийстве|у меня суицидальные мысли|я режу (?:себя|себе (?:вены|руки))|порезать себе вены',
    ],
    selfHarmIntent: [
      '(?:я )?(?:хочу|собираюсь|решил|решила|буду|готов|готова) (?:покончить с собой|убить себя|покончить с жизнью|повеситься|вскрыть (?:себе )?вены)',
      '(?:я )?(?:покончу с собой|убью себя|повешусь|вскрою (?:себе )?вены)',
    ],
    threat: [
      '(?:я |мы )?(?:тебя|вас) (?:убью|убьём|убьем|зарежу|зарежем|пристрелю|пристрелим|задушу|прибью|урою|замочу|изнасилую|закопаю|грохну|порешу)',
      '(?:убью|убьём|убьем|зарежу|пристрелю|задушу|прибью|урою|замочу|закопаю|грохну) (?:тебя|вас)',
      'я знаю,? где ты (?:живёшь|живешь)|ты труп|чтоб(?:ы)? ты сдох(?:ла)?|надеюсь,? ты сдохнешь',
    ],
    killGroup: [
      `смерть ${RU_DAT}|(?:убить|убивать|убивайте|перебить|расстрелять|расстреливать|вешать|повесить|сжечь|жечь|уничтожить|истребить|вырезать|мочить) (?:всех )?${RU_ACC}`,
      `(?:всех )?${RU_ACC} (?:надо|нужно|следует|пора) (?:всех )?(?:убить|убивать|перебить|расстрелять|вешать|повесить|сжечь|уничтожить|истребить|вырезать|мочить)|${RU_NOM} должны (?:все )?(?:сдохнуть|умереть|сгореть)`,
    ],
    slur: ['жид(?:ы|а|у|ом|ов|ам|ами|овка|овки|овский|овская|овские|яра)?|хач(?:и|а|ей|ам|ами)?|чурк(?:а|и|ок|ам|ами|у)|пидор(?:ы|а|ов|ам|ас|асы|асов)?|педик(?:и|ов)?|ниггер(?:ы|ов)?|черножоп(?:ый|ые|ая|ых)|узкоглаз(?:ый|ые|ых)'],
    dehumanize: [
      `${RU_NOM}(?: —| -| –| это)?(?: (?:все|просто|как|одни|настоящие)){0,2} (?:крысы|животные|мусор|скоты|твари|паразиты|тараканы|недочеловеки|нелюди|звери|свиньи|обезьяны|мразь|чума|уроды|дегенераты|выродки)`,
    ],
    insultYou: [
      '(?:ты|вы)(?: (?:—|-|же|просто|вообще|реально|такой|такая|настоящий|настоящая|конченый|конченая|конченный|полный|полная|тупой|тупая|жалкий|жалкая|грёбаный|гребаный|ёбаный|ебаный|жирный|жирная|мерзкий|мерзкая|вонючий|вонючая)){0,3} (?:тупой|тупая|идиот|идиотка|дебил|дебилка|урод|уродина|мудак|сука|шлюха|дура|дурак|ублюдок|мразь|тварь|придурок|кретин|чмо|лох|пидор|пидорас|говно|ничтожество|даун|дегенерат|козёл|козел|свинья|скотина|сволочь|падла|гнида|шалава|тупица|отброс|выродок|жирдяй|уёбок|уебок|хуесос|долбоёб|долбоеб|ебанат|идиоты|дебилы|уроды)',
    ],
    abuse: [
      '(?:иди|пошёл|пошел|пошла|пошли|идите) (?:ты |вы )?(?:нахуй|на хуй|в жопу|нахер|на хер)|заткнись|завали ебало|сдохни|убей себя|иди повесься|иди убейся|никто тебя не любит',
    ],
    insultBare: ['сука|мразь|ублюдок|уёбок|хуесос|долбоёб|долбоеб'],
    sexual: [
      'порн\\p{L}{0,10}|секс(?:а|у|ом|е)?|(?:голые|голая|голых|голое|обнажённые|обнаженные) (?:фото|фотки|видео|фотографии)|(?:фото|видео) (?:голых|голой|голого|обнажённых|обнаженных)|интимные фото|трах(?:ать|аться|нуть|ал|ала|али|аю|ает|ну|нул|нула)|выебать|ебать|мастурб\\p{L}{0,8}|минет\\p{L}{0,2}',
    ],
    minor: [`дет(?:и|ей|ям|ьми|ях)|ребён(?:ок)|ребен(?:ок)|ребёнк\\p{L}{0,3}|ребенк\\p{L}{0,3}|малолет\\p{L}{0,6}|несовершеннолетн\\p{L}{0,4}|школьниц\\p{L}{0,3}|${AGE} лет|${AGE}-летн\\p{L}{0,4}|лоли\\p{L}{0,4}`],
    minorSexual: ['детское порно|детская порнография|детской порнографи\\p{L}|детскую порнографию'],
  },
  ar: {
    bounded: true,
    prefix: '(?:و|ف)?',
    selfHarm: [
      `(?:${A}ريد ${A}ن ${A}موت|${A}ريد الموت|بدي موت|بدي ${A}موت|عايز ${A}موت|عاوز ${A}موت|${A}تمنى الموت|${A}تمنى ${A}ن ${A}موت)${END}`,
      `(?:لا ${A}ريد ${A}ن ${A}عيش|لا ${A}ريد العيش|ما بدي عيش|مش عايز ${A}عيش)${END}|${A}فكر (?:في|ب)ال${A}نتحار|${A}فكر ب${A}ن ${A}نتحر`,
    ],
    selfHarmIntent: [
      `س${A}نتحر|سوف ${A}نتحر|ر(?:ا)?ح ${A}نتحر|هنتحر|ه${A}نتحر|${A}ريد ${A}ن ${A}نتحر|بدي ${A}نتحر|س${A}قتل نفسي|سوف ${A}قتل نفسي|${A}ريد ${A}ن ${A}قتل نفسي|س${A}نهي حياتي|سوف ${A}نهي حياتي`,
    ],
    threat: [
      `(?:س${A}قتل|سوف ${A}قتل|ر(?:ا)?ح ${A}قتل|ه${A}?قتل|ل${A}قتل|س${A}ذبح|سوف ${A}ذبح|ر(?:ا)?ح ${A}ذبح|ه${A}?دبح|س${A}غتصب|سوف ${A}غتصب)(?:ك|كي|كم)`,
      `(?:${A}عرف|بعرف) (?:${A}ين|وين|فين) (?:تسكن|ساكن|تعيش)|${A}تمنى (?:${A}ن )?تموت|ان شاء الله تموت`,
    ],
    killGroup: [`الموت ${AR_GROUPS_LI}|(?:اقتلوا|${A}قتلوا|اذبحوا|${A}ذبحوا|احرقوا|${A}حرقوا|يجب قتل|لازم نقتل|لازم نذبح|يجب ذبح|يجب ${A}بادة|${A}بيدوا) (?:كل )?${AR_GROUPS}`],
    slur: ['الروافض|روافض'],
    dehumanize: [`${AR_GROUPS}(?: هم| كلهم| مجرد)? (?:كلاب|خنازير|قردة|قرود|حيوانات|حشرات|صراصير|وباء|سرطان|جراثيم|${A}نجاس|حثالة)`],
    insultYou: [
      `يا (?:كلب|كلبة|حمار|حمارة|حيوان|حيوانة|غبي|غبية|حقير|حقيرة|وسخ|وسخة|قذر|قذرة|شرموطة|شرموط|عاهرة|عاهر|${A}بن الكلب|بنت الكلب|${A}بن الكلبة|${A}بن الحرام|${A}بن الشرموطة|${A}بن القحبة|قحبة|متخلف|متخلفة|خنزير|خنزيرة|زبالة|تافه|تافهة|منيك|منيوك|عرص|خول|معفن|معفنة|زفت|واطي|واطية|نجس|نجسة|سافل|سافلة|ساقط|ساقطة|حثالة|ديوث|${A}هبل|هبلة|عبيط|عبيطة)`,
      `(?:${A}نت|${A}نتي|${A}نتِ|${A}نتم)(?: مجرد| واحد| واحدة)? (?:غبي|غبية|حمار|حمارة|حيوان|كلب|كلبة|حقير|حقيرة|وسخ|وسخة|قذر|قذرة|شرموطة|عاهرة|متخلف|متخلفة|خنزير|زبالة|تافه|تافهة|فاشل|فاشلة|سافل|سافلة|حثالة|${A}غبى|قبيح|قبيحة|بشع|بشعة)`,
    ],
    abuse: [`كس ${A}مك|كس ${A}ختك|يلعن (?:${A}بوك|${A}مك|دينك|شرفك|ربك)|الله يلعنك|${A}بن الكلب|${A}بن الشرموطة|${A}بن القحبة|روح موت|${A}خرس يا|${A}خرس${END}`],
    insultBare: ['شرموطة|قحبة|منيوك'],
    sexual: [`${A}باحي(?:ة|ات)?|سكس|نيك|ينيك|ممارسة الجنس|يمارس الجنس|مارس الجنس|صور عارية|صور عاري|فيديو عاري|فيديوهات عارية|بورنو|بورن`],
    minor: [`${A}طفال|ال${A}طفال|طفل|طفلة|الطفل|الطفلة|قاصر|قاصرة|قاصرين|قاصرات|تلميذة|رضيع|رضيعة`],
    minorSexual: [`${A}باحية ال${A}طفال|${A}باحية ${A}طفال`],
  },
  hi: {
    bounded: true,
    selfHarm: [
      `(?:मैं )?(?:मरना|मर जाना) ${CHAHTA} ${HU}|मुझे मरना है${END}|(?:मैं )?जीना नहीं ${CHAHTA}|जीने का मन नहीं (?:है|करता)`,
      'marna chaht[ai] h(?:u|un|oon|oo)|mar jana chaht[ai] h(?:u|un|oon|oo)|mujhe marna hai|jeena nahi chaht[ai]|jine ka mann? nahi',
    ],
    selfHarmIntent: [
      `(?:आत्महत्या|ख़ुदकुशी|खुदकुशी) (?:कर ${LUNGA}|करना ${CHAHTA})|खुद को मार (?:${DALUNGA}|${LUNGA})|अपनी जान ले ${LUNGA}`,
      '(?:suicide|khudkushi|atmahatya) (?:kar (?:lunga|lungi|loonga|loongi)|karna chaht[ai])|khud ko maar (?:dalunga|daalunga|lunga|loonga)|apni jaan le (?:lunga|lungi|loonga)',
    ],
    threat: [
      `(?:तुझे|तुम्हें|तुम्हे|तुमको|तुझको|आपको) (?:जान से )?मार (?:${DALUNGA}|${DUNGA}|डालेंगे|देंगे)|तेरी जान ले (?:${LUNGA}|लेंगे)`,
      '(?:tujhe|tumhe|tumhein|tujhko|tumko) (?:jaan se )?maa?r (?:dalunga|daalunga|dunga|doonga|dalenge|denge|dalungi|dungi)|teri jaan le (?:lunga|loonga|lenge|lungi)',
    ],
    killGroup: [
      `(?:(?:सारे|सभी|सब) )?${HI_GROUPS} (?:को|ko) (?:मार (?:डालो|दो)|काट (?:डालो|दो)|जला (?:डालो|दो)|खत्म कर दो|ख़त्म कर दो|maa?r (?:do|dalo|daalo)|kaat (?:do|dalo|daalo)|jala (?:do|dalo|daalo))`,
    ],
    slur: ['कटुआ|कटुए|कटुओं|katua|katue|katuon|katuo'],
    dehumanize: [],
    insultYou: [
      '(?:तू|तुम|tu|tum|abe|abey|oye|अबे|साले|saale)(?: (?:ek|एक|bahut|बहुत|sabse bada|pakka|पक्का|saala|साला)){0,2} (?:chutiya|chutiye|harami|haramzada|haramkhor|kamina|kamine|kameena|kaminey|gandu|bewakoof|bevkoof|gadha|ullu|nalayak|kutta|kutte|kutti|madarchod|behenchod|bhenchod|bhosdike|चूतिया|चुतिया|हरामी|हरामज़ादा|हरामजादा|हरामखोर|कमीना|कमीने|गांडू|बेवकूफ़|बेवकूफ|गधा|उल्लू|नालायक|कुत्ता|कुत्ते|कुत्ती|रंडी|मादरचोद|बहनचोद|भेनचोद|भोसड़ीके|भोसडीके)',
    ],
    abuse: ['teri maa? ki chut|तेरी (?:माँ|मां|मा) की (?:चूत|चुत)|(?:जा )?मर जा|ja mar ja|chup kar (?:chutiye|madarchod|behenchod)'],
    insultBare: ['madarchod|maderchod|behenchod|bhenchod|behanchod|bhosdike|bhosadike|chutiya|मादरचोद|बहनचोद|भेनचोद|भोसड़ीके|भोसडीके|चूतिया'],
    sexual: ['सेक्स|पोर्न\\p{L}{0,6}|अश्लील|नंगी (?:फोटो|तस्वीर|तस्वीरें|वीडियो)|चुदाई|चोद(?:ना|ता|ती|ा|ूंगा)|sex|porn|chudai|chod(?:na|ta|ti|unga)|nangi (?:photo|pic|video)'],
    minor: [`बच्च(?:ा|े|ी|ों|ियों)|नाबालिग|${AGE} साल (?:की|के|का)|bachch(?:a|e|i|on|iyon)|bacche|baccha|bacchi|nabalig|${AGE} saal (?:ki|ka|ke)`],
    minorSexual: [],
  },
  zh: {
    bounded: false,
    selfHarm: [
      '我(?:好|真|真的|很|是真的)?想死(?![你您他她我在])|我(?:真的)?不想活(?:了|下去)|活着(?:真)?没(?:有)?意思|活著(?:真)?沒(?:有)?意思|我想割腕|我割腕了|我在割腕',
    ],
    selfHarmIntent: ['我(?:想|要|打算|准备|準備|会|會)(?:去)?(?:自杀|自殺)|我(?:想|要|打算)(?:结束|結束)(?:自己的|我的)?生命'],
    threat: ['我(?:要|会|會|一定要|一定会|就|迟早|遲早|今天就)?(?:杀|殺|宰|弄死|砍死|捅死|打死)(?:了)?你(?![的們们])|(?:杀|殺|灭|滅)你全家|我知道你住(?:在)?哪'],
    killGroup: [
      `(?:杀光|殺光|杀死所有|殺死所有|消灭|消滅|灭绝|滅絕|屠杀|屠殺)(?:所有的?|全部的?)?${ZH_GROUPS}|${ZH_GROUPS}(?:都|全都|全部)?(?:该死|該死|应该去死|應該去死|应该被杀光|應該被殺光|应该被消灭|應該被消滅|必须死|必須死)`,
    ],
    slur: ['黑鬼|支那人|支那猪|支那豬|日本鬼子|小日本|尼哥|死基佬'],
    dehumanize: [`${ZH_GROUPS}(?:都是|就是|全是)(?:一群|一帮|一幫|些)?(?:畜生|垃圾|蟑螂|猪|豬|狗|猴子|劣等|寄生虫|寄生蟲|病毒|害虫|害蟲|低等|人渣|败类|敗類)`],
    insultYou: [
      '你(?:是|就是|真是|真|这个|這個|个|個|这种|這種|他妈的|他媽的)(?:个|個|一个|一個|一只|一隻|条|條)?(?:白痴|傻瓜|废物|廢物|垃圾|蠢货|蠢貨|贱人|賤人|婊子|智障|脑残|腦殘|神经病|神經病|混蛋|王八蛋|傻逼|傻屄|煞笔|贱货|賤貨|杂种|雜種|人渣|丑八怪|醜八怪|死肥猪|骚货|騷貨|狗东西|狗東西)',
    ],
    abuse: ['(?:操|肏|草|艹)你(?:妈|媽|大爷|大爺|祖宗|娘)|去你(?:妈|媽)的|你(?:妈|媽)(?:死了|逼)|狗娘(?:养|養)的|你?去死吧|你怎么不去死|你怎麼不去死|你去死|闭嘴|閉嘴|滚蛋|滾蛋'],
    insultBare: ['傻逼|傻屄|煞笔|贱人|賤人|婊子|王八蛋|人渣'],
    sexual: ['色情|做爱|做愛|性交|性爱|性愛|裸照|裸体|裸體|口交|自慰|黄片|黃片'],
    minor: ['儿童|兒童|幼女|幼童|萝莉|蘿莉|未成年|小学生|小學生|初中生|女童|男童|小女孩|小男孩|(?:[5-9]|1[0-7]|[五六七八九]|十[一二三四五六七]?)[岁歲]'],
    minorSexual: ['儿童色情|兒童色情|幼女色情|萝莉色情|蘿莉色情'],
  },
  ja: {
    bounded: false,
    selfHarm: [
      '死にたい(?=[。！？!?\\s…、]|$|です|よ|な(?!ら)|わ|の|って|と思)|自殺したい|生きていたくない|もう生きたくない|もう生きていけない|リスカ(?:した|してる|しちゃ|したい|してしまった)|手首を切(?:った|りたい|ってる)',
    ],
    selfHarmIntent: ['自殺(?:します|しようと思|するつもり|してやる)|死のうと思(?:う|って|います)|首を吊(?:ります|ろうと思|るつもり)'],
    threat: [
      '(?:お前|おまえ|てめえ|てめぇ|テメェ|テメー|貴様|きさま|あんた|お前ら|おまえら|てめえら)(?:を|なんか|は|ら)?(?:絶対に?)?(?:殺す|ころす|殺してやる|ぶっ殺す|ぶっころす|刺す|刺してやる)',
      'ぶっ殺(?:す|してやる)|ぶっころす|殺してやる|殺すぞ|お前の家族を殺す',
    ],
    killGroup: [`${JA_GROUPS}(?:は|を|も|共は|共を|どもは|どもを|ども|は全員|を全員|なんか|なんて)?(?:殺せ|死ね|皆殺し|ぶっ殺せ|駆除しろ|殲滅しろ|叩き殺せ|叩き出せ|ガス室へ)`],
    slur: ['支那人|シナ人|黒んぼ|ホモ野郎|ジャップ|(?<![\\u30A0-\\u30FF])チョン(?![\\u30A0-\\u30FFー])'],
    dehumanize: [`${JA_GROUPS}(?:は|って|なんて|なんか)(?:みんな|全員|皆)?(?:ゴキブリ|害虫|ウジ虫|寄生虫|ゴミ|クズ|猿|豚|畜生|劣等|下等|犯罪者)`],
    insultYou: [
      '(?:お前|おまえ|てめえ|てめぇ|テメェ|テメー|貴様|きさま|あんた|お前ら|おまえら)(?:は|って|みたいな|なんか)?(?:マジで|本当に|ほんと)?(?:バカ|馬鹿|ばか|クズ|くず|ゴミ|カス|ブス|デブ|キモい|きもい|役立たず|クソ野郎|くそ野郎|アホ|あほ|ゴミクズ|無能|キチガイ|気違い|基地外|低能|ガイジ|能無し|負け犬|ウジ虫)',
      'この(?:バカ|馬鹿|クズ|ブス|デブ|クソ野郎|くそ野郎|役立たず|キチガイ|ガイジ|低能|アホ|ボケ|ゴミクズ|売女|変態|豚野郎)(?![げらさにな\\u30A0-\\u30FF])',
    ],
    abuse: ['死ね(?![なるまばたてずよ])|死ねよ|氏ね|死ねばいいのに|消えろ(?:カス|ゴミ|クズ)|黙れ|くたばれ'],
    insultBare: ['クソ野郎|くそ野郎|キチガイ|基地外|ガイジ|ゴミクズ|売女'],
    sexual: ['(?<![\\u30A0-\\u30FF])エロ|セックス|せっくす|えっち|エッチ|ポルノ|ヌード|全裸|裸体|裸(?:の)?(?:写真|画像|動画)|性行為|淫行|わいせつ|猥褻|オナニー|フェラ'],
    minor: ['児童|子供|子ども|こども|幼女|幼児|小学生|中学生|(?<![\\u30A0-\\u30FF])ロリ|未成年|女児|男児|(?:[5-9]|1[0-7]|[五六七八九]|十[一二三四五六七]?)歳'],
    minorSexual: ['児童ポルノ|ロリエロ'],
  },
};

/** Languages the lexicon covers (ISO 639-1). */
export const MULTILINGUAL_LANGUAGES = Object.keys(LANGUAGES);

type ListKey = Exclude<keyof LanguageLexicon, 'bounded' | 'prefix'>;

/**
 * Languages grouped by script, each with its letter class for word boundaries (explicit ranges:
 * a `\p{L}` lookbehind at every position is several times slower) and a test for the script, so a
 * text without Cyrillic, Arabic or CJK characters never runs those patterns.
 */
const SCRIPTS: readonly { languages: readonly string[]; letters: string; present?: RegExp }[] = [
  // Latin letters and combining marks, and Devanagari (Hindi is written in both).
  { languages: ['es', 'fr', 'de', 'pt', 'it', 'hi'], letters: String.raw`[a-z\u00DF-\u024F\u0300-\u036F\u0900-\u097F]` },
  { languages: ['ru'], letters: String.raw`[\u0400-\u04FF]`, present: /[\u0400-\u04FF]/u },
  { languages: ['ar'], letters: String.raw`[\u0600-\u06FF\u0750-\u077F]`, present: /[\u0600-\u06FF]/u },
  { languages: ['zh', 'ja'], letters: '', present: /[\u3040-\u30FF\u3400-\u9FFF]/u },
];

function wrap(language: Pick<LanguageLexicon, 'bounded' | 'prefix'>, letters: string, alternatives: readonly string[]): string | undefined {
  if (alternatives.length === 0) return undefined;
  // `\p{L}` in a list stands for a letter of the script: an explicit range compiles far smaller.
  const body = `(?:${alternatives.join('|')})`.replaceAll(String.raw`\p{L}`, letters || String.raw`\p{L}`);
  return language.bounded ? `(?<!${letters})${language.prefix ?? ''}${body}(?!${letters})` : body;
}

/** A sentence gap: no sentence end in between. */
const GAP = String.raw`[^.!?\n。！？؟]{0,60}?`;

/** One script's alternation for a list (for sexual minors: a sexual and a minor term in one sentence, or a compound). */
function scriptSource(languages: readonly string[], letters: string, key: ListKey | 'sexualMinors'): string {
  const parts: string[] = [];
  const plain: string[] = [];
  for (const code of languages) {
    const language = LANGUAGES[code]!;
    if (key === 'sexualMinors') {
      const sexual = wrap(language, letters, language.sexual);
      const minor = wrap(language, letters, language.minor);
      if (sexual && minor) parts.push(`${sexual}${GAP}${minor}`, `${minor}${GAP}${sexual}`);
      const compound = wrap(language, letters, language.minorSexual);
      if (compound) parts.push(compound);
    } else if (language.bounded && !language.prefix) {
      plain.push(...language[key]);
    } else {
      const part = wrap(language, letters, language[key]);
      if (part) parts.push(part);
    }
  }
  // Languages of one script share one pair of boundaries (a smaller pattern compiles and runs faster).
  const shared = wrap({ bounded: true }, letters, plain);
  if (shared) parts.unshift(shared);
  return parts.join('|');
}

/** Any of the non-Latin scripts above: without it, no script-gated pattern needs a test. */
export const NON_LATIN_SCRIPT = /[\u0400-\u04FF\u0600-\u06FF\u3040-\u30FF\u3400-\u9FFF]/u;

/** A pattern for one script: run only when `present` (if given) matches the text. */
export interface MultilingualPattern {
  source: string;
  present?: RegExp;
}

function patterns(key: ListKey | 'sexualMinors'): readonly MultilingualPattern[] {
  return SCRIPTS.map(({ languages, letters, present }) => ({ source: scriptSource(languages, letters, key), ...(present ? { present } : {}) })).filter(({ source }) => source !== '');
}

/** Regex sources over normalized text, per rule of the local moderator and per script. */
export const MULTILINGUAL = {
  selfHarm: patterns('selfHarm'),
  selfHarmIntent: patterns('selfHarmIntent'),
  threat: patterns('threat'),
  killGroup: patterns('killGroup'),
  slur: patterns('slur'),
  dehumanize: patterns('dehumanize'),
  insultYou: patterns('insultYou'),
  abuse: patterns('abuse'),
  insultBare: patterns('insultBare'),
  sexualMinors: patterns('sexualMinors'),
} as const;
