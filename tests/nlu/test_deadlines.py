"""A deadline is a date to act by or a dated event to come; a past date, a birth date or a duration is not.

Per language: messages written for these tests (none is from the training data or a held-out split).
"""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.dates import find_dates
from nlu.keywords import KeywordClassifier, is_deadline, mentions_deadline

TODAY = dt.date(2026, 11, 24)  # a Tuesday

DEADLINES: list[tuple[str, str]] = [
    ("en", "the bailiffs are coming tmrw morning"),
    ("en", "I have to reply within 14 days or they go to court"),
    ("en", "landlord says I must leave by the end of the month"),
    ("en", "my tribunal is on friday and I have no one to come with me"),
    ("pl", "mam rozprawę w sądzie w piątek"),
    ("pl", "muszę się wyprowadzić w ciągu dwóch tygodni"),
    ("pt", "tenho de sair da casa até ao fim do mês"),
    ("pt", "o prazo para recorrer acaba amanhã"),
    ("ro", "trebuie să plătesc până pe 15 decembrie"),
    ("ro", "am termen la instanță săptămâna viitoare"),
    ("uk", "суд призначили на 3 грудня"),
    ("uk", "треба виїхати до кінця місяця"),
    ("cy", "mae'n rhaid i mi dalu erbyn dydd Gwener"),
    ("cy", "mae'r gwrandawiad yfory"),
    ("so", "maxkamadda waa Khamiista soo socota"),
    ("so", "waa in aan guriga ka baxaa 14 maalmood gudahood"),
    ("ar", "لازم ادفع خلال ١٤ يوم والا بيروحوا للمحكمة"),
    ("ar", "el landlord 2al lazem netla3 bokra"),
    ("ur", "landlord ne kaha hai 2 hafte mein ghar khali karo"),
    ("ur", "جمعہ سے پہلے فارم جمع کرانا ہے"),
    ("bn", "shukrobar er moddhe taka dite hobe"),
    ("bn", "আগামী সোমবার কোর্টে যেতে হবে"),
]

NOT_DEADLINES: list[tuple[str, str]] = [
    ("en", "my date of birth is 12/03/1985 and they wrote it wrong"),
    ("en", "the hearing was on friday and we lost"),
    ("en", "I have lived here for 2 years and never had a repair done"),
    ("en", "I missed my hospital appointment yesterday"),
    ("en", "I got a county court judgment against me"),
    ("pl", "rozprawa była w zeszłym tygodniu"),
    ("pl", "urodziłam się 5 maja 1990"),
    ("pt", "a audiência foi ontem e perdemos"),
    ("pt", "nasci a 3 de março de 1979"),
    ("ro", "m-am născut pe 2 iunie 1988"),
    ("ro", "am primit scrisoarea acum două săptămâni, ieri am sunat"),
    ("uk", "засідання було вчора"),
    ("uk", "я народилася 14 лютого 1992 року"),
    ("cy", "roedd y gwrandawiad ddoe"),
    ("cy", "ges i fy ngeni ar 3 Mai 1980"),
    ("so", "ballantii isbitaalka waxay ahayd shalay"),
    ("so", "taariikhda dhalashadaydu waa 1/2/1985"),
    ("ar", "موعدي بالمستشفى كان امس"),
    ("ar", "تاريخ ميلادي ٣/٤/١٩٨٠"),
    ("ur", "meri tareekh paidaish 5/6/1984 hai"),
    ("ur", "پچھلے جمعہ کو عدالت میں پیشی تھی"),
    ("bn", "gotokal court e hearing chilo"),
    ("bn", "আমার জন্ম তারিখ ১২/০৪/১৯৮৮"),
]


def _deadline(language: str, text: str) -> bool:
    return is_deadline(text, language, find_dates(text, language, TODAY), TODAY)


@pytest.mark.parametrize(("language", "text"), DEADLINES)
def test_a_date_to_act_by_is_a_deadline(language: str, text: str) -> None:
    assert _deadline(language, text)


@pytest.mark.parametrize(("language", "text"), NOT_DEADLINES)
def test_a_past_date_a_birth_date_or_a_duration_is_not(language: str, text: str) -> None:
    assert not _deadline(language, text)


def test_every_language_has_both_kinds_of_case() -> None:
    languages = {"ar", "bn", "cy", "en", "pl", "pt", "ro", "so", "uk", "ur"}
    assert {lang for lang, _ in DEADLINES} == languages
    assert {lang for lang, _ in NOT_DEADLINES} == languages


def test_a_past_word_cancels_only_what_is_near_it() -> None:
    text = "she was shouting at me again last night and then I read the letter properly, hearing is on 12/12"
    assert _deadline("en", text)


def test_the_keyword_classifier_uses_the_rule() -> None:
    classifier = KeywordClassifier()
    assert classifier.classify_sync("court is on 12/12", language="en", today=TODAY).deadline
    assert not classifier.classify_sync("born 12/12/1980", language="en", today=TODAY).deadline


def test_a_deadline_phrase_is_found_in_any_language() -> None:
    assert mentions_deadline("tenho de pagar dentro de 10 dias")
    assert not mentions_deadline("i feel sad and tired")


# The kinds of mistake the clause rule (nlu/deadlines.py) was written against, one case or two per kind.
CLAUSE_DEADLINES: list[tuple[str, str]] = [
    ("en", "the landlord gave me two weeks to find somewhere else"),  # a limit set in the past tense
    ("en", "my hours got cut in the summer, now the council want the form back by friday"),
    ("en", "council tax say I must pay today or it goes to the bailiffs"),  # today, with a duty
    ("en", "the care home gave us notice of 28 days"),
    ("ro", "proprietarul mi-a dat o lună să mă mut"),
    ("pt", "tenho tribunal na quinta e não tenho advogado"),
    ("ar", "اذا دفعت خلال 14 يوم بتنزل الغرامة للنص"),  # a past form after "if" is a condition
    ("ur", "agar 30 din mein paise nahi diye to court jayenge"),
    ("uk", "суд призначили на 3 грудня"),  # "scheduled" is a past form that sets a date
    ("so", "dhageysigu waa 9ka bishan"),
    ("cy", "rhaid talu erbyn ddydd Gwener"),
    ("ro", "trebuie sa plec pana in mai"),  # "mai" is May just after a cue
    ("pl", "musze oddac klucze przed marcem"),  # the instrumental, from dates.months
    ("pl", "sad wyznaczyl rozprawe na 14 grudnia"),  # "wyznaczyl" sets a date, a past form or not
    ("ar", "galo liya ila makhlestch 450 9bel 15 decembre ghadi ydiw l'affaire l court"),  # a French month name
    ("uk", "виселення назначили на 8е"),
    ("en", "hearing 9 dec at 10"),  # not the year 2110
    ("en", "first payment mid jan and i cant afford it"),
    ("en", "boss wants the van keys back in a fortnight"),  # "back in" a length is still to come
    ("cy", "rhaid gyrru prawf erbyn 15 Rhagfyr neu ma'r cais yn cau"),  # "cais" (application) is no past form
    ("ar", "اخر موعد للتقديم ١٥ ديسمبر"),
    ("ro", "trebuie sa inregistrez nasterea fetitei pana la 8 ianuarie"),  # a birth registered, not a birth date
    ("en", "rent is due every month but the landlord wants the arrears by 15 December"),  # a month: not regular
    ("cy", "ddoe nath HR ffonio i ddeud bod cyfarfod disgyblu ar 8 Rhagfyr"),  # what was said is not when
    ("uk", "колишній подав до суду щодо дітей, слухання 9 числа"),
    # Stop 30 (split H): a feast or payday beside a cue; a past form after "or else"; dialect weekdays; "i dalu".
    ("pl", "wlasciciel chce zebysmy oddali klucze przed wielkanoca"),
    ("uk", "British Gas дали час до получки, потім лічильник"),
    ("ar", "الشركة بدها السيارة قبل Christmas"),
    ("pt", "a carta diz que tenho de pagar ate 20 dez senao param o beneficio"),
    ("ar", "بدهم الورقة ترجع قبل الاتنين"),
    ("cy", "daeth llythyr, 14 diwrnod i dalu neu CCJ"),
    ("bn", "aaj raat er moddhe ghor chharte bolse"),
    ("ur", "aaj raat 11 bje tak proof upload karo"),
    ("pl", "w polowie stycznia konczy sie umowa"),
    ("pt", "semana q vem vem o oficial de justica"),
    ("en", "I need to move out by june"),  # the same month after "by" is next June's
    # Stop 30 (split J): a past form after a duty; a cue's "of"; a word number; romanised Ukrainian.
    ("ar", "لازم خلص الكورس قبل الكريسمس"),
    ("ro", "am primit notice to quit de 4 saptamani"),
    ("bn", "বাড়িওয়ালা দুই মাস সময় দিয়েছে বাসা ছাড়তে"),
    ("uk", "zavtra o 10 treba buty v sudi"),
    ("pt", "hoje a noite o senhorio vai trocar a fechadura"),  # tonight something happens to the client
    ("cy", "heno ma'r landlord yn newid y cloeon"),
    # Stop 30 (split K): a Bengali ordinal day, a payday with "next" after it, Arabizi weekdays, "paid within".
    ("bn", "১০ই জানুয়ারি আমার court hearing"),
    ("so", "kirada keen marka mushaarka xiga"),
    ("pt", "a audiencia e segunda q vem"),
    ("en", "they want £900 paid within 14 days"),
    ("ar", "el landlord 2alli lazem atla3 youm el khamees"),
    # Stop 30 (splits L, M): a Latin "i" in Ukrainian words, a postposition three words on, hours to act,
    # a year a span starts from.
    ("uk", "сьогоднi до опiвночi треба подати форму"),
    ("bn", "ramzan shuru hoar agei ghor charte hobe"),
    ("en", "hospital said we've got 48 hours to sort a care home"),
    ("pt", "tenho 28 dias pra provar que moro aqui desde 2021"),
    ("en", "court is 9 Feb and the landlord wont talk"),  # the finder's "9 feb and the" runs past "and"
    ("so", "saa dambe interview ayaan leeyahay tareen lacag uma hayo"),  # "tareen" (train) is no past form
    # Stop 30 (split N): "sent before"; the summer after "by the" is next summer.
    ("en", "DWP want the forms sent before mid december or they stop my UC"),
    ("en", "I have to leave by the summer"),
    # Stop 30 (split O): a date with its own year is no story of 2021; weekday abbreviations.
    ("en", "debt collectors say full balance due 12.01.27, its for a gym i cancelled in 2021"),
    ("en", "council will close my case if i dont bring ID by thurs"),
    ("bn", "salam bhai amar court hearing 14 dec e"),  # "salam" (a greeting) is no past form "*lam"
    # Stop 31: a "from" after a length says where it counts from ("counted_from"), not how long it lasted.
    ("ar", "يقولون عندك ١٤ يوم تطلع من الغرفه"),
    ("en", "you have 14 days from the date of this letter to appeal"),
    ("ro", "am 14 zile de la primirea scrisorii sa fac apel"),
    ("uk", "маю 14 днів від дати листа щоб оскаржити"),
    # Stop 31 (split R): Portuguese weekdays said without "-feira", a Moroccan "within", Sylheti and romanised
    # Urdu weekdays, "before the Christmas holidays" in Bengali.
    ("pt", "a audiencia é sexta que vem"),
    ("ar", "خاصني نخلص £100 فظرف 28 يوم"),
    ("bn", "social worker bishudbar aibo ghore"),
    ("ur", "landlord ne likha hai is itwaar tak chabiyan wapis karo"),
    ("bn", "GP bolse boro diner chhutir age blood test korte"),
    # Stop 31 (splits T, U): a length given yesterday still runs; "I've got"; the end of term; the last feast
    # of the year in Polish; Arabizi "in 30 days"; a Welsh fortnight, mutated.
    ("en", "yesterday they gave me 2 weeks to leave"),
    ("ar", "امبارح عطوني شهر notice بالشغل"),
    ("en", "someone at work said ive got a month from that to put the tribunal claim in"),
    ("en", "they'll fine us if his attendance isn't above 90% by the end of term"),
    ("ar", "lazem adfa3 el overpayment bta3 el tax credits fe 30 yom"),
    ("cy", "Ma gen i bythefnos i ffeindio lle newydd"),
    ("en", "we have until february half term to sort it"),
    ("en", "if i dont pay by friday will they evict me?"),  # "if I don't": a duty, asked about or not
    ("pl", "gwarancja mija w sylwestra"),
    ("cy", "ma'r landlord yn newid y cloeon fory!!! dwi di talu rhent bob mis"),  # "fory" is no weekday come round
    ("bn", "bailiff er letter aise, fridayte asbo 8 tar age"),
    ("uk", "Лендлорд написав шо в суботу прийдуть люди дивитись квартиру"),
    # Stop 31 (split V): an "if" further back makes a past form a condition's; Arabizi "nhar 14"; Somali and
    # mutated Welsh month names; a Romanian hearing "fixed" for a date.
    ("ar", "الlandlord قال لي لو ما دفعت القروش لحدي الجمعة بغير القفل"),
    ("ar", "3ndi rendez-vous m3a social worker nhar 14"),
    ("so", "PIP assessment-kaygu waa 9 Desembar 10:15 subaxnimo Leicester"),
    ("cy", "rhaid llenwi'r asesiad ariannol cyn yr 21ain o Ragfyr"),
    ("ro", "Mi-au fixat hearing la employment tribunal pe 3 martie 2027"),
    # Stop 31 (split W): Maghrebi and Sylheti weekdays, "six months to go", "stops in January", Somali "next week".
    ("ar", "lmoul dar gal lia khassni nkhwi lbit nhar letnin"),
    ("bn", "landlord koise shukkurbar er bhitre ghor khali kori dite"),
    ("cy", "ges i notice section 173 heddiw, chwe mis i fynd"),
    ("en", "care home says mums council funding stops in january unless we do the financial assessment"),
    ("so", "isbuuca dambe ballan Job Centre ah ayaa la ii qabtay"),
    # Stop 31 (split X): "gave me" in Egyptian, Bengali "before the end of the month", Welsh "this afternoon",
    # Portuguese New Year's Eve, a Ukrainian operation "set for" a date, Somali "next week".
    ("ar", "الlandlord بعتلي section 21 وادّاني شهرين اسيب الشقة"),
    ("bn", "car finance company bolse ei masher sesh er aghe 340 pound pay korte hobe"),
    ("cy", "ma'r dyn o'r cyngor yn dod pnawn ma i weld y llwydni"),
    ("pt", "o contrato do quarto acaba na passagem de ano"),
    ("uk", "операцію доньці поставили на 22 грудня в Манчестері"),
    ("so", "usbuuca soo socda ayay dugsiga ku yeelanayaan meeting"),
    ("cy", "cymdeithas dai di rhoi 4 wythnos i fi glirio'r ardd a'r sied"),
    ("cy", "bydd rhaid i ni symud allan o'r llety dros dro syth ar ol y Calan"),
    ("bn", "আমার হাতে আর মাত্র ৩ সপ্তাহ আছে"),  # "আর" (and) breaks a clause, not inside the phrase
    # Stop 31 (split Y): "sometime in January", European Portuguese "para a semana", Romanian "sapt viitoare",
    # Urdu "jumme tak", "January ke middle".
    ("en", "energy company says they'll fit a prepayment meter sometime in january unless we clear the £900"),
    ("pt", "para a semana o family court decide com quem ficam os miudos"),
    ("ro", "sapt viitoare vine cineva de la social services acasa"),
    ("ur", "agency wale keh rahe hain jumme tak passport ki copy do warna shift nahi milegi"),
    ("ur", "housing association keh rahi hai january ke middle mein flat ki renovation hogi"),
    # A length said last week may still run; a calendar date said at a time gone by is still that date.
    ("en", "last week the landlord said I have 14 days to get out"),
    ("so", "toddobaadkii hore court ka ayaa warqad soo diray waxayna yiraahdeen waa in aad ka baxdaa 29 december"),
]

CLAUSE_NOT_DEADLINES: list[tuple[str, str]] = [
    ("en", "I missed my appointment at the jobcentre on tuesday and got sanctioned"),  # past verb, same clause
    ("en", "I went to the tribunal on 10/11 and they adjourned it"),
    ("en", "my benefit stopped on 14 November and nobody said why"),  # a day of the last three months
    ("en", "I can't go on, I'm ending it all tonight"),  # today and tonight are not limits
    ("en", "he has the kids every weekend"),
    ("en", "I worked there from March until October and never got holiday pay"),
    ("en", "the damp has been there for 3 weeks"),
    ("ar", "صار لي من ٣ اسابيع بدون تدفئة"),  # a "from" before a length still makes it one
    ("en", "it's been 3 weeks from when i applied and nothing"),
    # Stop 31 (split R): how late a payment is; "every Friday"; "last Friday" in Arabizi and Banglish.
    ("ur", "agar main 2 din late rent doon to kya landlord mujhe nikal sakta hai"),
    ("ur", "har jumme ko mera ex bachon ko le jata hai aur itwaar raat wapis laata hai"),
    ("ar", "el bailiffs ejo el jom3a el madye w 2ato el siyyara"),
    ("bn", "gotho shukrobar amar parcel delivered dekhay kintu ami kisu pai nai"),
    # Stop 31 (splits T, U): a time after "if" in a question is supposed; a half term of a month gone;
    # "the last day was last Friday"; "yesterday was the last day"; a floor is no date.
    ("ro", "ipotetic vorbind, daca pleaca sotul din casa luna viitoare, pot ramane eu pe contractul de chirie?"),
    ("cy", "os ma nhw'n rhoi notis i fi wsnos nesa, faint o amser sgen i i adael?"),
    ("en", "school gave us until october half term to sort his uniform"),
    ("ar", "آخر يوم للتقديم على الhousehold support fund كان الجمعة الماضية، ما لحگت"),
    ("uk", "вчора був останній день подати заяву на Household Support Fund"),
    ("en", "flat 12b 3rd floor, lift broken again"),
    ("en", "the 30 days to challenge the parking charge ran out before i even opened the envelope"),
    ("pt", "o prazo de 30 dias pra pedir reembolso do voo ja passou"),
    ("so", "guriga 21 ka waxaa ku nool 9 qof"),  # a house number
    ("bn", "gelo shukrobar parking er enforcement agent amar van e clamp lagai gese"),
    # Stop 31 (split V): "every Friday" in Arabizi; a Welsh day of a month gone, mutated; last month in Urdu.
    ("ar", "kil jum3a el manager y5alini ashtaghil overtime bdoon flous"),
    ("cy", "roedd y dyddiad cau i apelio ar yr 2il o Dachwedd"),
    ("ur", "landlord نے پچھلے مہینے کہا تھا ایک ہفتے میں کمرہ خالی کرو"),
    # Stop 31 (split W): "three times a week, Tuesday Thursday Saturday"; "by the end of last month" in Welsh;
    # "in case" in a Romanian question; "every day ... even Sunday" in Somali; "I didn't know" in Arabizi.
    ("ro", "fiul meu are dializa de trei ori pe saptamana, marti joi si sambata"),
    ("cy", "Mi ddylai'r cyngor fod wedi trwsio'r boiler erbyn diwedd mis diwetha"),
    ("ro", "in cazul in care ma intorc in Romania 6 luni sa am grija de tata, pierd settled status-ul?"),
    ("so", "maalin walba 6da subaxnimo ayay debt collectors-ku i soo wacaan, xataa axada"),
    ("ar", "ana ma kunta 3arfa inno fi deadline asalan"),
    # Stop 31 (split X): "3 times", "inside" (not Wednesday), "3 cards", "last Monday" in Gulf Arabic, "say we"
    # in a question, a Somali deadline that passed.
    ("ar", "sar li 2 ushhur ma da ydizoon el child benefit, ittisalit ihum 3 marrat"),
    ("pl", "zmienili zamki, moje rzeczy sa w srodku"),
    ("ro", "am datorii 4.500 lire pe 3 carduri plus overdraft"),
    ("ar", "يوم الاثنين اللي طاف فصلوني من الشغل بدون اي warning"),
    ("en", "say we get an eviction notice after christmas can they actually make us leave in the winter with kids?"),
    ("so", "deadline-ka appeal-ka waa dhaafay, bishii hore ayuu ahaa"),
    ("cy", "Ers i'r rheolwr newydd ddechra ym mis Ebrill mae o'n pigo arna i"),  # "since" April
    # Stop 31 (split Y): "till morning", "ate ter" (until having), Romanian "n-am mai" (no "May"), "every day".
    ("pl", "sasiad puszcza muzyke do rana, council nic nie robi"),
    ("pt", "posso esperar ate ter a morada certa?"),
    ("ro", "n-am mai vazut copiii de 5 luni, fosta nu ma lasa"),
    ("ur", "roz subah 6 baje se raat 8 tak takeaway mein kaam, koi chutti nahi milti"),
    # Stop 31: what was said at a time gone by, named before "said" ("reporting"), counted from then.
    ("so", "bishii hore HMRC waxay yiraahdeen 30 maalmood gudahood bixi, waan bixiyay"),
    ("ur", "debt collector نے ستمبر میں کہا تھا 7 دن میں پیسے دو"),
    ("ar", "الdebt collectors قبل كدة قالوا قدامك 7 ايام"),
    ("en", "back in august they told me 2 weeks to pay"),
    ("pl", "mam 58 lat i bardzo boli mnie kręgosłup"),  # an age is not a limit
    ("pl", "dzisiaj wieczorem to skończę, mam tabletki"),
    ("uk", "купила пральну машину, через тиждень вона зламалась"),
    ("so", "lacagta UC waxay imanaysaa 5 toddobaad kadib"),  # "after 5 weeks" is a wait, not a limit
    ("bn", "ami 3 bochor dhore ei barite thaki"),
    ("ro", "mucegaiul e pe pereți de 4 luni"),  # "luni": months here, not Monday
    ("ro", "gemenii mei au 3 ani si 2 luni"),  # a number before "luni" makes it months
    ("en", "we have to be out by 30 September"),  # a day of the last three months is gone, "by" or not
    ("en", "I had until the end of October to send it"),  # a month of the last three, said alone, is gone
    ("en", "the deadline was 16 November and I missed it"),  # a deadline word dated by a day gone by
    ("ro", "termenul de plata era 16 noiembrie, n-am platit"),
    ("en", "landlord keeps saying tomorrow tomorrow"),  # a promise put off, not a day
    ("ro", "tot zice luna viitoare luna viitoare"),
    ("ro", "nu mai am nimic de mancare"),  # "mai" is "more" here, not May
    ("en", "I look after my mum 24/7 and get nothing"),
    ("so", "mar 60 saac ayaan shaqeeyaa laakiin 45 ayaa ku qoran"),  # "mar": once; no day, no date
    # "every month" anywhere makes a day said alone a regular one.
    ("en", "rent's due on the 1st of each month but my wages don't come till the 15th"),
    ("uk", "UC приходить 23го кожного місяця а рент треба платити 1го"),
    ("ur", "UC har mahine ki 7 tareekh ko aata hai aur rent 1 ko jana hota hai"),
    ("en", "back in march my landlord gave me a notice to leave by may but nothing happened"),  # told then
    ("uk", "в серпні дали 2 тижні на оплату штрафу"),  # a length given in a month gone by ran from then
    ("cy", "nath y cwmni dorri'r cytundeb ar y 29ain o Hydref"),  # a day of a month just gone
    ("cy", "nath yr heddlu ddod nos Sadwrn dwetha ar ol i'r cymdogion ffonio"),  # "ar ol" (after) is no limit
    ("ar", "اخر يوم للappeal كان ٣٠ اكتوبر وراح علي"),  # "اكتوبر" without its hamza is October
    ("en", "my address is 10/12 Albert Road"),
    ("uk", "термін подачі на school place минув ще в жовтні"),  # a deadline word is not its own rescue
    ("ur", "نیا فون دو دن میں خراب"),  # broke within two days
    # Stop 30 (split H): a question about time; a counted payday; a month gone named by a found date; "every".
    ("en", "what happens if my visa runs out while I wait"),
    ("pt", "quantos dias tenho para recorrer de uma decisao?"),
    ("ro", "am 4 payday loans si nu mai pot plati"),
    ("en", "the council wanted the form back by the end of september"),
    ("ur", "boss hafte ke hafte cash deta hai, 6 din kaam"),
    ("pt", "recebo o subsidio de 4 em 4 semanas"),
    ("bn", "gelo masher 12 tarikh e chakri chole gese"),
    ("ur", "ہر مہینے کی 5 تاریخ کو rent جاتا ہے"),
    ("pl", "termin na odwolanie minal w pazdzierniku"),
    ("ar", "nhar lkhmis li fat jaw l'police l'dar"),
    ("en", "in july the council gave me 28 days to pay"),  # a month of this year gone by, said without "by"
    ("pt", "em agosto a camara deu me 28 dias pra pagar a multa"),
    # Stop 30 (split J): money, a year gone by in the clause, a weekday with "day" in it, a month after the length.
    ("ar", "bakhod 11.50 bel sa3a bas"),
    ("cy", "Roedd gen i 28 diwrnod i apelio nol yn 2024"),
    ("cy", "ma nhw'n mynd i'r ysgol dydd Llun a dw i'n eu gweld nhw bob yn ail benwythnos"),
    ("pt", "a empresa deu-me 10 dias para responder em julho"),
    ("pt", "ela fica com os miudos fim de semana sim fim de semana nao"),
    ("en", "I can't go on, I'm going to kill myself tonight"),  # a risk to life: its "tonight" is no limit
    # Stop 30 (split K): the end of a month just gone; "a week" as a rate; a past stay.
    ("pl", "przegapilam termin, byl do konca pazdziernika"),
    ("ur", "hafte mein do din kaam milta hai"),
    ("so", "isbitaal ayaan ku jiray 5 maalmood"),
    # Stop 30 (splits L, M): a reference number, the weekday of a day gone by, "dia 1" in a recurring message,
    # a year gone by in a clause told in the past.
    ("pt", "preciso de ajuda com a carta, referencia HO 12/03/4471-B"),
    ("pl", "w piatek 20.11 ukradli mi telefon"),
    ("pt", "o UC cai dia 12 de cada mes e a renda sai dia 1"),
    ("en", "the council gave me 28 days to find somewhere back in 2024"),
    ("cy", "ydach chi ar agor dydd Sadwrn?"),  # a question to the service about its hours
    ("en", "are you open on saturday?"),
    # Stop 30 (split N): the summer said in December is this one's, gone; work patterns are no limits.
    ("en", "they gave me 28 days to pay back in the summer and i paid"),
    ("ro", "in vara mi-au dat o luna sa platesc gazul"),
    ("uk", "працюю через день по 12 годин"),
    ("en", "i do 3 night shifts a week at the home"),
    # Stop 30 (split O): the end of a month just gone two words on; "ran out".
    ("pt", "a escola tinha pedido os papeis ate ao fim de outubro"),
    ("en", "MOT ran out on the 20th and im still driving"),
    ("bn", "gecho shukrobar bailiff aisilo kintu dorja khuli nai"),
    ("cy", "dyddiad cau i apelio di pasio ers pythefnos"),
]


@pytest.mark.parametrize(("language", "text"), CLAUSE_DEADLINES)
def test_the_clause_rule_keeps_these(language: str, text: str) -> None:
    assert _deadline(language, text)


@pytest.mark.parametrize(("language", "text"), CLAUSE_NOT_DEADLINES)
def test_the_clause_rule_drops_these(language: str, text: str) -> None:
    assert not _deadline(language, text)


def test_every_language_has_its_deadline_rule_lists() -> None:
    from nlu.phrases import all_phrases

    for code, phrases in all_phrases().items():
        rule = phrases.deadline_rule
        for field in ("cues", "obligations", "future", "past", "durations", "conditionals", "clause_breaks",
                      "units", "day_numbers"):
            assert getattr(rule, field), f"{code}: deadline_rule.{field} is empty"
        assert all("#" in phrase for phrase in rule.day_numbers), code


def test_explain_says_which_candidate_was_kept_and_why_not() -> None:
    from nlu.deadlines import explain

    text = "the hearing was on 3/11. the next one is on 12/12"
    lines = explain(text, "en", find_dates(text, "en", TODAY), TODAY)
    assert any(line.startswith("kept") and "12/12" in line for line in lines)
    assert not any(line.startswith("kept") and "3/11" in line for line in lines)


def test_tonight_is_no_limit_in_a_message_the_classifier_found_a_crisis_in() -> None:
    text = "сьогодні ввечері хазяїн викине наші речі"
    dates = find_dates(text, "uk", TODAY)
    assert is_deadline(text, "uk", dates, TODAY)
    assert not is_deadline(text, "uk", dates, TODAY, crisis=True)
