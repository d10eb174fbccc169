"""Synthetic names: first and last names by region, with their local script.

Every name is a pair ``(latin, local)`` where ``local`` is the Urdu spelling
for Pakistan and the Hindi (Devanagari) spelling for India, so an artisan's
name can be written as ``{en: ..., ur: ...}`` or ``{en: ..., hi: ...}``.
First and last names are drawn independently, so the combinations are
clearly synthetic people, not real ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from karigar.demo.places import District

__all__ = ["Name", "NamePool", "name_pool", "FAMILY_WORD", "TITLE_WOMAN", "HANDLE_ROLES"]

Name = tuple[str, str]


@dataclass(frozen=True, slots=True)
class NamePool:
    """The names drawn for artisans of one region."""

    women: tuple[Name, ...]
    men: tuple[Name, ...]
    last: tuple[Name, ...]


def _names(text: str) -> tuple[Name, ...]:
    # "Latin:local Latin:local ..."; an underscore stands for a space inside a name.
    pairs = []
    for item in text.split():
        latin, local = item.split(":")
        pairs.append((latin.replace("_", " "), local.replace("_", " ")))
    return tuple(pairs)


_PK_WOMEN = _names(
    "Shazia:شازیہ Ayesha:عائشہ Fatima:فاطمہ Zainab:زینب Rabia:رابعہ Saima:صائمہ "
    "Nasreen:نسرین Parveen:پروین Rukhsana:رخسانہ Samina:ثمینہ Naseem:نسیم Hajra:ہاجرہ "
    "Amina:آمنہ Bushra:بشریٰ Kulsoom:کلثوم Mehnaz:مہناز Shabana:شبانہ Zarina:زرینہ "
    "Noor:نور Hina:حنا Sakina:سکینہ Bakhtawar:بختاور Gulnaz:گلناز Shireen:شیریں "
    "Mahnoor:ماہ_نور Tahira:طاہرہ Razia:رضیہ Farzana:فرزانہ"
)
_PK_MEN = _names(
    "Ali:علی Imran:عمران Bilal:بلال Usman:عثمان Tariq:طارق Rashid:رشید Shahid:شاہد "
    "Karim:کریم Akbar:اکبر Nadeem:ندیم Javed:جاوید Farooq:فاروق Aslam:اسلم Yousaf:یوسف "
    "Hamid:حامد Qasim:قاسم Sikandar:سکندر Mehboob:محبوب Saleem:سلیم Waseem:وسیم "
    "Zahid:زاہد Murad:مراد Jamal:جمال Anwar:انور Iqbal:اقبال"
)
_IN_WOMEN = _names(
    "Sunita:सुनीता Geeta:गीता Kamla:कमला Meena:मीना Radha:राधा Lakshmi:लक्ष्मी "
    "Savita:सविता Pushpa:पुष्पा Rekha:रेखा Anjali:अंजलि Kavita:कविता Hansa:हंसा "
    "Bhavna:भावना Dhara:धारा Kokila:कोकिला Farida:फ़रीदा Shabnam:शबनम Nargis:नरगिस "
    "Rubina:रुबीना Usha:उषा Parvati:पार्वती Jyoti:ज्योति"
)
_IN_MEN = _names(
    "Ramesh:रमेश Suresh:सुरेश Mahesh:महेश Rajesh:राजेश Mohan:मोहन Arjun:अर्जुन "
    "Vikram:विक्रम Harish:हरीश Gopal:गोपाल Manoj:मनोज Dinesh:दिनेश Kishore:किशोर "
    "Prakash:प्रकाश Imtiaz:इम्तियाज़ Salim:सलीम Irfan:इरफ़ान Bashir:बशीर Ashok:अशोक "
    "Naresh:नरेश Bhagwan:भगवान"
)

_POOLS: dict[str, NamePool] = {
    "pk/Sindh": NamePool(
        _PK_WOMEN + _names("Marvi:ماروی Sassui:سسی Sughra:صغریٰ"),
        _PK_MEN + _names("Allah_Dino:اللہ_ڈنو Mumtaz:ممتاز"),
        _names(
            "Soomro:سومرو Memon:میمن Khatri:کھتری Jatoi:جتوئی Laghari:لغاری Mallah:ملاح "
            "Chandio:چانڈیو Panhwar:پنہور Shaikh:شیخ Mangrio:منگریو Bhatti:بھٹی "
            "Kolhi:کوہلی Meghwar:میگھواڑ Brohi:بروہی"
        ),
    ),
    "pk/Punjab": NamePool(
        _PK_WOMEN,
        _PK_MEN,
        _names(
            "Khan:خان Malik:ملک Chaudhry:چوہدری Butt:بٹ Awan:اعوان Rajput:راجپوت "
            "Qureshi:قریشی Ansari:انصاری Gujjar:گجر Sheikh:شیخ Bhatti:بھٹی Arain:آرائیں "
            "Kazmi:کاظمی Langah:لنگاہ"
        ),
    ),
    "pk/Khyber Pakhtunkhwa": NamePool(
        _PK_WOMEN + _names("Palwasha:پلوشہ Zarmina:زرمینہ"),
        _PK_MEN + _names("Gul_Khan:گل_خان Bakht:بخت"),
        _names(
            "Khan:خان Yousafzai:یوسفزئی Afridi:آفریدی Khattak:خٹک Shinwari:شنواری "
            "Durrani:درانی Mohmand:مہمند Swati:سواتی Kakakhel:کاکاخیل"
        ),
    ),
    "pk/Balochistan": NamePool(
        _PK_WOMEN + _names("Mahganj:ماہگنج Banuk:بانک"),
        _PK_MEN + _names("Dad_Karim:داد_کریم Mir_Hasil:میر_حاصل"),
        _names(
            "Baloch:بلوچ Rind:رند Marri:مری Bugti:بگٹی Mengal:مینگل Raisani:رئیسانی "
            "Kakar:کاکڑ Achakzai:اچکزئی Zehri:زہری"
        ),
    ),
    "pk/Gilgit-Baltistan": NamePool(
        _PK_WOMEN + _names("Gulbahar:گلبہار Shamim:شمیم"),
        _PK_MEN + _names("Didar:دیدار Sultan:سلطان"),
        _names("Baig:بیگ Shah:شاہ Hunzai:ہنزائی Nagri:ناگری Khan:خان"),
    ),
    "pk/Azad Jammu and Kashmir": NamePool(
        _PK_WOMEN,
        _PK_MEN,
        _names("Abbasi:عباسی Sudhan:سدھن Mughal:مغل Rathore:راٹھور Qureshi:قریشی Mir:میر"),
    ),
    "in/Gujarat": NamePool(
        _IN_WOMEN + _names("Hiraben:हीराबेन Jasuben:जसुबेन Rani:रानी"),
        _IN_MEN + _names("Khimji:खीमजी Devji:देवजी Ismail:इस्माइल"),
        _names(
            "Patel:पटेल Khatri:खत्री Rabari:रबारी Ahir:अहीर Vankar:वणकर Shah:शाह "
            "Parmar:परमार Solanki:सोलंकी Chauhan:चौहान Mutwa:मुतवा"
        ),
    ),
    "in/Rajasthan": NamePool(
        _IN_WOMEN + _names("Kesar:केसर Sita:सीता"),
        _IN_MEN + _names("Bhanwar:भंवर Mangilal:मांगीलाल"),
        _names(
            "Sharma:शर्मा Meghwal:मेघवाल Chhipa:छीपा Rathore:राठौड़ Kumawat:कुमावत "
            "Jangid:जांगिड़ Prajapat:प्रजापत Bhati:भाटी"
        ),
    ),
    "in/Uttar Pradesh": NamePool(
        _IN_WOMEN + _names("Shahnaz:शहनाज़ Tabassum:तबस्सुम"),
        _IN_MEN + _names("Shakeel:शकील Anees:अनीस"),
        _names(
            "Verma:वर्मा Ansari:अंसारी Qureshi:क़ुरैशी Siddiqui:सिद्दीक़ी Yadav:यादव "
            "Gupta:गुप्ता Maurya:मौर्य Khan:ख़ान Srivastava:श्रीवास्तव"
        ),
    ),
    "in/Punjab": NamePool(
        _names(
            "Harpreet:हरप्रीत Gurpreet:गुरप्रीत Jasleen:जसलीन Manjit:मनजीत "
            "Simran:सिमरन Paramjit:परमजीत Kamaljeet:कमलजीत Rajwinder:राजविंदर"
        ),
        _names(
            "Harjit:हरजीत Gurdeep:गुरदीप Jaswant:जसवंत Balwinder:बलविंदर Sukhdev:सुखदेव "
            "Kuldeep:कुलदीप Amarjit:अमरजीत"
        ),
        _names("Gill:गिल Sandhu:संधू Dhillon:ढिल्लों Brar:बराड़ Sidhu:सिद्धू Grewal:ग्रेवाल"),
    ),
    "in/Jammu and Kashmir": NamePool(
        _names(
            "Shabnam:शबनम Rubina:रुबीना Haleema:हलीमा Mehbooba:महबूबा Shameema:शमीमा Nighat:निगहत"
        ),
        _names("Ghulam_Nabi:ग़ुलाम_नबी Bashir:बशीर Mushtaq:मुश्ताक़ Farooq:फ़ारूक़ Showkat:शौकत"),
        _names("Bhat:भट Dar:डार Mir:मीर Wani:वानी Lone:लोन Shah:शाह Sofi:सोफ़ी"),
    ),
    "in/Ladakh": NamePool(
        _names("Dolma:डोल्मा Padma:पद्मा Skalzang:स्कलज़ंग"),
        _names("Tsering:छेरिंग Stanzin:स्टैनज़िन Sonam:सोनम"),
        _names("Angmo:आंगमो Namgyal:नामग्याल Dorjay:दोरजे"),
    ),
    "in/Himachal Pradesh": NamePool(
        _IN_WOMEN,
        _IN_MEN,
        _names("Thakur:ठाकुर Negi:नेगी Sharma:शर्मा Rana:राणा"),
    ),
    "in/Tamil Nadu": NamePool(
        _names("Selvi:सेल्वी Meenakshi:मीनाक्षी Kavitha:कविता Lakshmi:लक्ष्मी Valli:वल्ली"),
        _names("Murugan:मुरुगन Senthil:सेंथिल Ravi:रवि Kumaran:कुमारन"),
        _names("Subramanian:सुब्रमण्यम Raman:रामन Pillai:पिल्लै Mudaliar:मुदलियार"),
    ),
    "in/Karnataka": NamePool(
        _names("Savitha:सविता Lakshmi:लक्ष्मी Girija:गिरिजा Shobha:शोभा"),
        _names("Shankar:शंकर Manjunath:मंजुनाथ Nagaraj:नागराज Basavaraj:बसवराज"),
        _names("Gowda:गौड़ा Shetty:शेट्टी Rao:राव Hegde:हेगड़े"),
    ),
}

# Pakistan's capital draws from the Punjab pool; central India from the north's.
_POOL_ALIASES: dict[str, str] = {
    "pk/Islamabad Capital Territory": "pk/Punjab",
    "in/Madhya Pradesh": "in/Rajasthan",
}

# "Family" in the local script, for names like {en: Khatri Family, ur: کھتری خاندان}.
FAMILY_WORD: dict[str, str] = {"ur": "خاندان", "hi": "परिवार"}

# Women often go by first name plus an honorific instead of a family name.
TITLE_WOMAN: dict[str, Name] = {"pk": ("Bibi", "بی بی"), "in": ("Devi", "देवी")}

# Who records consent and verifies artisans: roles joined to a first name and district.
HANDLE_ROLES: tuple[str, ...] = (
    "volunteer",
    "trainer",
    "field-officer",
    "smeda-trainer",
    "cluster-lead",
    "coordinator",
)


def name_pool(district: District) -> NamePool:
    """The name pool for artisans of ``district``'s province."""
    key = f"{district.country}/{district.province}"
    return _POOLS[_POOL_ALIASES.get(key, key)]
