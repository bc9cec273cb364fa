/// Name lists for the synthetic school: common given names and surnames in English schools, of
/// varied origins, combined at random so that no generated person is a real one. A few names
/// carry apostrophes, hyphens, spaces or diacritics (O'Neil, Lloyd-Williams, Mei Ling, Zoë,
/// Wiśniewski, Çelik) so that every later stage (CSV, SQL, HTML, PDF, e-mail addresses) has to
/// escape and fold them correctly.
enum Names {
    /// Girls' given names (pupils born 2010–2015).
    static let girls: [String] = [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
        "Grace", "Freya", "Willow", "Evie", "Ella", "Poppy", "Emily", "Florence", "Sienna", "Harper",
        "Ruby", "Daisy", "Phoebe", "Jessica", "Charlotte", "Ellie", "Matilda", "Elsie", "Eva", "Imogen",
        "Hannah", "Leah", "Maisie", "Thea", "Scarlett", "Millie", "Erin", "Megan", "Holly", "Chloe",
        "Zoë", "Chloé", "Renée", "Esmé", "Aoife", "Niamh", "Siobhán", "Aisha", "Fatima", "Maryam",
        "Zainab", "Hafsa", "Amira", "Aaliyah", "Layla", "Priya", "Ananya", "Simran", "Jasmine", "Sofia",
        "Maja", "Zuzanna", "Oliwia", "Ioana", "Maria", "Ana", "Chiamaka", "Adaeze", "Ifeoma", "Abena",
        "Precious", "Mei Ling", "Yasmin", "Nadia", "Sara", "Hiba",
    ]

    /// Boys' given names (pupils born 2010–2015).
    static let boys: [String] = [
        "Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Henry", "Jack",
        "Theo", "Charlie", "Freddie", "Jacob", "Alfie", "Thomas", "Joshua", "James", "William", "Finley",
        "Ethan", "Lucas", "Isaac", "Mason", "Max", "Dylan", "Reuben", "Logan", "Riley", "Samuel",
        "Daniel", "Adam", "Callum", "Ewan", "Rhys", "Kai", "Tyler", "Jayden", "Connor", "Harvey",
        "Muhammad", "Yusuf", "Ibrahim", "Ayaan", "Arjun", "Rohan", "Hamza", "Omar", "Ali", "Zain",
        "Kacper", "Jakub", "Szymon", "Andrei", "Luca", "Mateo", "José", "Chidi", "Kwame", "Emeka",
        "Kofi", "Oluwaseun", "Ciarán", "Seán", "Tomás", "Bilal", "Amir", "Idris", "Nathaniel", "Elijah",
        "Jun Hao", "Dev", "Harris", "Aaron",
    ]

    /// Surnames common in Britain for generations (English, Scottish, Welsh, Irish).
    static let britishSurnames: [String] = [
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
        "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
        "Lewis", "Harris", "Clarke", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward",
        "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James",
        "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell",
        "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller",
        "Cox", "Richards", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Wilkinson", "Foster", "Chapman",
        "Powell", "Webb", "Rogers", "Gray", "Mason", "Hunt", "Holmes", "Palmer", "Mills", "Barnes",
        "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon",
        "O'Neil", "O'Brien", "O'Connor", "McCarthy", "MacDonald", "Fitzgerald", "Lloyd-Williams", "Campbell", "Stewart", "Reid",
    ]

    /// Surnames of families whose heritage is South Asian, East and South-East Asian, African,
    /// Caribbean, Middle Eastern and European — common in English schools today.
    static let internationalSurnames: [String] = [
        "Patel", "Khan", "Singh", "Begum", "Ali", "Ahmed", "Hussain", "Shah", "Kaur", "Rahman",
        "Chowdhury", "Akhtar", "Iqbal", "Malik", "Mahmood", "Sharma", "Gupta", "Das", "Mistry", "Joshi",
        "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Lewandowski", "Popescu", "Ionescu", "Popa", "Horvat", "Kovács",
        "Nguyen", "Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Tran", "Okafor", "Adeyemi",
        "Okoye", "Mensah", "Osei", "Boateng", "Abdi", "Mohamed", "Hassan", "Abdullah", "Yılmaz", "Öztürk",
        "Çelik", "Demir", "Silva", "Santos", "Ferreira", "Costa", "Rodrigues", "D'Souza", "Fernandes", "Rossi",
        "García", "Müller", "Petrov", "Haddad", "Mansour", "Mendes", "Campbell-Brown", "Francis", "Grant", "Baptiste",
    ]

    /// Adults' given names for staff, women.
    static let women: [String] = [
        "Sarah", "Emma", "Claire", "Rachel", "Laura", "Helen", "Rebecca", "Kate", "Joanne", "Nicola",
        "Amanda", "Louise", "Victoria", "Hannah", "Jennifer", "Michelle", "Lucy", "Catherine", "Anna", "Sophie",
        "Priya", "Nadia", "Fiona", "Siân", "Aoife", "Gemma", "Zoë", "Naomi", "Ruth", "Kirsty",
        "Farah", "Agnieszka", "Yewande", "Mei",
    ]

    /// Adults' given names for staff, men.
    static let men: [String] = [
        "David", "James", "Michael", "Paul", "Mark", "Richard", "Andrew", "Daniel", "Matthew", "Christopher",
        "Simon", "Stephen", "Peter", "Tom", "Ben", "Gareth", "Rajesh", "Imran", "Tariq", "Kwame",
        "Tomasz", "Rui", "Liam", "Neil", "Robert", "Adam", "Owen", "Chris", "Sam", "Jonathan",
        "Dominic", "Femi",
    ]
}

/// Folds a name to lower-case ASCII letters for e-mail addresses and staff codes: diacritics
/// removed (`Zoë` → `zoe`, `Çelik` → `celik`, `Yılmaz` → `yilmaz`), apostrophes, hyphens and
/// spaces dropped (`O'Neil` → `oneil`). Written without Foundation's Unicode folding so that it
/// behaves identically everywhere.
func asciiLetters(_ name: String) -> String {
    var out = ""
    for scalar in name.unicodeScalars {
        switch scalar {
        case "a"..."z": out.unicodeScalars.append(scalar)
        case "A"..."Z": out.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
        case "\u{0131}": out.append("i")  // dotless i (Turkish)
        case "\u{0142}", "\u{0141}": out.append("l")  // Polish ł
        case "\u{00DF}": out.append("ss")
        default:
            if let base = Names.baseLetters[scalar] { out.append(base.lowercased()) }
            // anything else (apostrophes, hyphens, spaces) is dropped
        }
    }
    return out
}

extension Names {
    /// Base letters for the accented letters that occur in the lists above (a deliberately small
    /// table: the lists are fixed, and a test checks every name folds to non-empty ASCII).
    static let baseLetters: [Unicode.Scalar: String] = [
        "á": "a", "à": "a", "â": "a", "ä": "a", "ã": "a", "å": "a",
        "Á": "A", "À": "A", "Â": "A", "Ä": "A",
        "é": "e", "è": "e", "ê": "e", "ë": "e", "É": "E", "È": "E",
        "í": "i", "ì": "i", "î": "i", "ï": "i", "Í": "I",
        "ó": "o", "ò": "o", "ô": "o", "ö": "o", "õ": "o", "Ó": "O", "Ö": "O",
        "ú": "u", "ù": "u", "û": "u", "ü": "u", "Ú": "U", "Ü": "U",
        "ç": "c", "Ç": "C", "ć": "c", "č": "c", "ñ": "n", "ń": "n",
        "ś": "s", "š": "s", "Ś": "S", "ş": "s", "Ş": "S", "ź": "z", "ż": "z", "ž": "z",
    ]
}
