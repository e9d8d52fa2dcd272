/**
 * Word lists (regex sources) for the local moderator's hate, harassment and violence rules. Each is
 * a flat alternation of literal words and short phrases over normalized (lower-case) text: no
 * nested quantifiers, so every pattern built from them stays linear in the input.
 */

/** Slurs for protected groups (race, religion, sexuality, gender identity, ethnicity). */
export const SLURS = String.raw`(?:n[i1]gg(?:er|a|ah|uh|az)s?|f[a@]gg?(?:ot)?s?|k[i1]kes?|sp[i1]cs?|ch[i1]nks?|wetbacks?|beaners?|tr[a@]nn(?:y|ies)|dykes?|ragheads?|sandn[i1]gg\w*|coons?|gooks?|towelheads?|camel ?jockeys?|kaffirs?|zipperheads?|porch ?monkeys?|jungle ?bunn(?:y|ies)|jigaboos?|darkies|mudslimes?|muzzies|gypos?|pikeys?|yids?|heebs?|slant ?eyes|paki|pakis|negroid|mongoloids?|dagos?|wops?|golliwogs?)`;

/**
 * Protected groups as people are usually named in generalizations: plural nouns, or an adjective
 * plus a people noun ("black people", "muslim women").
 */
export const GROUPS = String.raw`(?:(?:the |all |most |these |those |you |many |some )?(?:(?:jewish|muslim|black|white|asian|mexican|arab|gay|lesbian|trans|transgender|chinese|indian|african|hispanic|latino|immigrant|foreign|disabled|homosexual|queer|christian|hindu|jamaican|haitian|somali|nigerian|pakistani|korean|japanese|russian|romani|brown|colou?red) (?:people|men|women|folks|guys|kids|girls|boys|immigrants|families|persons)|jews|muslims|moslems|christians|gays|lesbians|homosexuals|queers|blacks|whites|asians|mexicans|immigrants|migrants|refugees|illegals|illegal aliens|arabs|women|men|females|hindus|sikhs|africans|chinese|latinos|latinas|hispanics|indians|pakistanis|somalis|gypsies|roma|transgenders|trans people|lgbt(?:q\+?)? people|the lgbt(?:q\+?)? community|atheists|catholics|mormons|feminists|negroes|orientals|disabled people|retards|autistic people|foreigners))`;

/** The groups of GROUPS minus bare "men"/"women", which everyday text names near negative words without generalizing. */
export const GROUPS_NEAR = String.raw`(?:(?:the |all |most |these |those |you |many |some )?(?:(?:jewish|muslim|black|white|asian|mexican|arab|gay|lesbian|trans|transgender|chinese|indian|african|hispanic|latino|immigrant|foreign|disabled|homosexual|queer|christian|hindu|jamaican|haitian|somali|nigerian|pakistani|korean|japanese|russian|romani|brown|colou?red) (?:people|men|women|folks|guys|kids|girls|boys|immigrants|families|persons)|jews|muslims|moslems|christians|gays|lesbians|homosexuals|queers|blacks|whites|asians|mexicans|immigrants|migrants|refugees|illegals|illegal aliens|arabs|hindus|sikhs|africans|chinese|latinos|latinas|hispanics|indians|pakistanis|somalis|gypsies|roma|transgenders|trans people|lgbt(?:q\+?)? people|the lgbt(?:q\+?)? community|atheists|catholics|mormons|feminists|negroes|orientals|disabled people|retards|autistic people|foreigners))`;

/** Singular ideologies or identities whose generalizations are hate ("islam is a cancer"). */
export const IDENTITIES = String.raw`(?:islam|judaism|homosexuality|being gay|being trans|being transgender|transgenderism|transgenderis|the black race|the white race|the jewish race|every (?:jew|muslim|black|immigrant|woman|mexican|arab|gay))`;

/** Degrading predicates of a generalization about a group ("… are vermin", "… is a disease"). */
export const GROUP_DEGRADING = String.raw`(?:inferior|subhuman|sub-human|animals|beasts|savages|barbarians|vermin|parasites|rats|cockroaches|roaches|pigs|dogs|monkeys|apes|filth|filthy|dirty|scum|trash|garbage|a disease|a cancer|a plague|a virus|a disgrace|disgusting|evil|stupid|dumb|retarded|idiots|morons|lazy|criminals|thugs|terrorists|rapists|thieves|pedophiles|paedophiles|perverts|degenerates|deviants|sick|mentally ill|a mental illness|freaks|an abomination|abominations|sinful|a sin|unnatural|abnormal|worthless|useless|less intelligent|less than human|not human|not even human|ruining (?:this|our|the) (?:country|world|society)|destroying (?:this|our|the) (?:country|world|society)|taking over|a threat|the enemy|the problem|the worst|the scum|ugly|greedy|violent|liars|snakes|leeches|invaders|breeding like|a curse|a burden|a waste|hysterical|brainless)`;

/** Nouns used as insults aimed at a person. */
export const INSULT_NOUNS = String.raw`(?:idiot|moron|imbecile|retard|loser|dumbass|dumb ass|dipshit|jackass|asshole|arsehole|bitch|cunt|whore|slut|skank|hoe|twat|wanker|prick|dick|dickhead|bastard|scumbag|scum|pig|freak|creep|clown|cretin|halfwit|dimwit|nitwit|douche|douchebag|motherfucker|fucker|cocksucker|piece of (?:shit|crap|garbage|trash)|waste of (?:space|oxygen|air|skin|sperm)|coward|parasite|degenerate|psycho|fatass|fat ass|bimbo|incel|simp|fag|faggot|shithead|butthead|numbskull|airhead|maggot|liar|hypocrite|pervert|weirdo|failure|disgrace|trash|garbage|filth|swine|jerk)`;

/**
 * Insult nouns that are not also common verbs ("if you trash it", "you rat me out"), for direct
 * address without a verb ("you idiot", "you stupid bitch").
 */
export const INSULT_NOUNS_ADDRESS = String.raw`(?:idiot|moron|imbecile|retard|loser|dumbass|dumb ass|dipshit|jackass|asshole|arsehole|bitch|cunt|whore|slut|skank|twat|wanker|prick|dickhead|bastard|scumbag|cretin|halfwit|dimwit|nitwit|douchebag|motherfucker|fucker|cocksucker|piece of (?:shit|crap|garbage|trash)|waste of (?:space|oxygen|air|skin|sperm)|coward|degenerate|psycho|fatass|fat ass|bimbo|incel|fag|faggot|shithead|numbskull|maggot|hypocrite|pervert|weirdo|freak|liar)`;

/** Adjectives used as insults aimed at a person. */
export const INSULT_ADJECTIVES = String.raw`(?:stupid|dumb|idiotic|retarded|worthless|pathetic|useless|ugly|fat|disgusting|brainless|clueless|gross|repulsive|vile|despicable|insufferable|trashy|braindead|brain dead|mentally retarded|pathetic|spineless|gutless|a joke|the worst|so dumb|hideous)`;

/** Modifiers allowed between "you are" and an insult ("you are such a fucking …"). */
export const INSULT_FILLER = String.raw`(?:such|so|a|an|the|just|really|truly|nothing but|one|fucking|fuckin|freaking|damn|goddamn|complete|total|absolute|utter|biggest|stupid|little|dumb|ugly|fat|worthless|pathetic|filthy|dirty|disgusting|lying|brainless|sick|miserable|lazy|useless|huge|massive|big|old)`;

/** Verbs of deliberate serious violence against a person. */
export const VIOLENT_VERBS = String.raw`(?:kill|murder|shoot|stab|rape|strangle|choke|slaughter|butcher|torture|behead|decapitate|lynch|hang|drown|poison|burn|gut|skin|shank|execute|assassinate|maim|mutilate|dismember|castrate|suffocate|smother|bludgeon|gun down|beat up|blow up|run over|slit|cripple)`;

/** Objects of a killing or attack that make it about people ("killed everyone", "shot the teacher"). */
export const VICTIM = String.raw`(?:you|him|her|them|people|everyone|everybody|somebody|someone|innocent people|civilians|children|kids|babies|(?:my|his|her|your|the) (?:wife|husband|boss|neighbou?r|teacher|family|dad|mom|mother|father|brother|sister|ex|girlfriend|boyfriend|son|daughter|baby|classmates?|coworkers?|roommate|landlord|president|cops?|policeman|officer|victims?|hostages?|prisoners?)|that (?:bitch|bastard|guy|man|woman|girl|boy|kid|fucker|asshole|cop|traitor)|those (?:people|bastards|fuckers|animals|traitors)|all of them|a (?:man|woman|child|kid|baby|girl|boy|person|cop|teacher|student)|the jews?|the muslims?|the gays?|the blacks?|the whites?|the women|the immigrants?)`;

/** Strongly negative words that, near a protected group in one sentence, make a hateful generalization likely. */
export const HOSTILE_WORDS = String.raw`(?:hate(?! crimes?| speech| groups?)|hated|hating|despise|disgusting|disgust|vermin|inferior|filthy|subhuman|scum|parasites?|savages?|animals|cockroaches|rats|apes|monkeys|degenerates?|abominations?|invaders|infest\w*|exterminat\w*|go back|gassed|lynch\w*|genocide|wipe (?:them|out)|stupid|dumb|retarded|lazy|rapists?|pedophiles?|thugs?|perverts?|freaks?|worthless|useless|evil|greedy|smelly|stink|trash|garbage|plague|sinful|unnatural)`;

/**
 * Vocabulary of physical violence, counted by distinct stem: several different ones in a short
 * text ("stabbed", "blood", "screaming") describe violence even when no single phrase rule fires.
 */
export const VIOLENCE_WORDS = String.raw`\b(kill|murder|stab|shoot|shot|gun|knife|blood|corpse|tortur|bomb|bullet|wound|assault|strangl|punch|slaughter|massacre|behead|decapitat|weapon|violen|brutal|smash|slit|skull|axe|machete|rifle|pistol|grenade|explod|hostage)`;
