"""The Peppol Electronic Address Scheme (EAS) code list, as data.

Source: the EAS code list version 13 of the CEF registry for EN 16931, which is also
`structure/codelist/eas.xml` in OpenPEPPOL/peppol-bis-invoice-3. Only the four-digit (ISO 6523
ICD) codes are listed: a Peppol participant id uses the scheme `iso6523-actorid-upis`, so the
list's letter codes (AN, AQ, AS, AU, EM) cannot appear in one.

When the list changes, update this table; the rules for the values are in `peppol.py`.
"""

from __future__ import annotations

from collections.abc import Mapping

EAS_SCHEMES: Mapping[str, str] = {
    "0002": "System Information et Repertoire des Entreprise et des Etablissements: SIRENE",
    "0007": "Organisationsnummer",
    "0009": "SIRET-CODE",
    "0037": "LY-tunnus",
    "0060": "Data Universal Numbering System (D-U-N-S Number)",
    "0088": "EAN Location Code",
    "0096": "DANISH CHAMBER OF COMMERCE Scheme (EDIRA compliant)",
    "0097": "FTI - Ediforum Italia, (EDIRA compliant)",
    "0106": (
        "Vereniging van Kamers van Koophandel en Fabrieken in Nederland (Association of Chambers"
        " of Commerce and Industry in the Netherlands), Scheme (EDIRA compliant)"
    ),
    "0130": "Directorates of the European Commission",
    "0135": "SIA Object Identifiers",
    "0142": "SECETI Object Identifiers",
    "0147": "Standard Company Code",
    "0151": "Australian Business Number (ABN) Scheme",
    "0170": "Teikoku Company Code",
    "0183": (
        "Numéro d'identification suisse des enterprises (IDE), Swiss Unique Business"
        " Identification Number (UIDB)"
    ),
    "0184": "DIGSTORG",
    "0188": "Corporate Number of The Social Security and Tax Number System",
    "0190": "Dutch Originator's Identification Number",
    "0191": "Centre of Registers and Information Systems of the Ministry of Justice",
    "0192": "Enhetsregisteret ved Bronnoysundregisterne",
    "0193": "UBL.BE party identifier",
    "0194": "KOIOS Open Technical Dictionary",
    "0195": "Singapore UEN identifier",
    "0196": "Kennitala - Iceland legal id for individuals and legal entities",
    "0198": "ERSTORG",
    "0199": "Legal Entity Identifier (LEI)",
    "0200": "Legal entity code (Lithuania)",
    "0201": "Codice Univoco Unità Organizzativa iPA",
    "0202": "Indirizzo di Posta Elettronica Certificata",
    "0203": "eDelivery Network Participant identifier",
    "0204": "Leitweg-ID",
    "0205": "CODDEST",
    "0208": "Numero d'entreprise / ondernemingsnummer / Unternehmensnummer",
    "0209": "GS1 identification keys",
    "0210": "CODICE FISCALE",
    "0211": "PARTITA IVA",
    "0212": "Finnish Organization Identifier",
    "0213": "Finnish Organization Value Add Tax Identifier",
    "0215": "Net service ID",
    "0216": "OVTcode",
    "0217": "The Netherlands Chamber of Commerce and Industry establishment number",
    "0218": "Unified registration number (Latvia)",
    "0221": "The registered number of the qualified invoice issuer",
    "0230": "National e-Invoicing Framework",
    "9901": "Danish Ministry of the Interior and Health",
    "9910": "Hungary VAT number",
    "9913": "Business Registers Network",
    "9914": "Österreichische Umsatzsteuer-Identifikationsnummer",
    "9915": "Österreichisches Verwaltungs bzw. Organisationskennzeichen",
    "9918": "SOCIETY FOR WORLDWIDE INTERBANK FINANCIAL, TELECOMMUNICATION S.W.I.F.T",
    "9919": "Kennziffer des Unternehmensregisters",
    "9920": "Agencia Española de Administración Tributaria",
    "9922": "Andorra VAT number",
    "9923": "Albania VAT number",
    "9924": "Bosnia and Herzegovina VAT number",
    "9925": "Belgium VAT number",
    "9926": "Bulgaria VAT number",
    "9927": "Switzerland VAT number",
    "9928": "Cyprus VAT number",
    "9929": "Czech Republic VAT number",
    "9930": "Germany VAT number",
    "9931": "Estonia VAT number",
    "9932": "United Kingdom VAT number",
    "9933": "Greece VAT number",
    "9934": "Croatia VAT number",
    "9935": "Ireland VAT number",
    "9936": "Liechtenstein VAT number",
    "9937": "Lithuania VAT number",
    "9938": "Luxemburg VAT number",
    "9939": "Latvia VAT number",
    "9940": "Monaco VAT number",
    "9941": "Montenegro VAT number",
    "9942": "Macedonia, the former Yugoslav Republic of VAT number",
    "9943": "Malta VAT number",
    "9944": "Netherlands VAT number",
    "9945": "Poland VAT number",
    "9946": "Portugal VAT number",
    "9947": "Romania VAT number",
    "9948": "Serbia VAT number",
    "9949": "Slovenia VAT number",
    "9950": "Slovakia VAT number",
    "9951": "San Marino VAT number",
    "9952": "Turkey VAT number",
    "9953": "Holy See (Vatican City State) VAT number",
    "9957": "French VAT number",
    "9959": "Employer Identification Number (EIN, USA)",
}

# Codes removed from the list, with the code that replaced each (the list's own remarks).
DEPRECATED_SCHEMES: Mapping[str, str] = {
    "9906": "0211",
    "9907": "0210",
    "9908": "0192",
    "9917": "0196",
    "9921": "0201",
    "9954": "0190",
    "9956": "0208",
    "9958": "0204",
}

# The VAT schemes: each value is a VAT number of this ISO country.
VAT_SCHEME_COUNTRIES: Mapping[str, str] = {
    "9910": "HU",
    "9914": "AT",
    "9920": "ES",
    "9922": "AD",
    "9923": "AL",
    "9924": "BA",
    "9925": "BE",
    "9926": "BG",
    "9927": "CH",
    "9928": "CY",
    "9929": "CZ",
    "9930": "DE",
    "9931": "EE",
    "9932": "GB",
    "9933": "GR",
    "9934": "HR",
    "9935": "IE",
    "9936": "LI",
    "9937": "LT",
    "9938": "LU",
    "9939": "LV",
    "9940": "MC",
    "9941": "ME",
    "9942": "MK",
    "9943": "MT",
    "9944": "NL",
    "9945": "PL",
    "9946": "PT",
    "9947": "RO",
    "9948": "RS",
    "9949": "SI",
    "9950": "SK",
    "9951": "SM",
    "9952": "TR",
    "9953": "VA",
    "9957": "FR",
}

__all__ = ["DEPRECATED_SCHEMES", "EAS_SCHEMES", "VAT_SCHEME_COUNTRIES"]
