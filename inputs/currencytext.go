package inputs

// Currencies written beside an amount ("$12.50", "12 EUR", "US$ 3"): how
// much of a number's text they take, so that the digits can be read.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// currencyPrefix returns the length of a currency at the start of s:
// a run of currency symbols after at most three letters ("$", "€", "US$",
// "CN¥", "R$"), or an ISO 4217 code (any case) not followed by a letter
// ("USD 12", "eur12"). It returns 0 when s starts with no currency.
func currencyPrefix(s string) int {
	letters := 0
	for letters < len(s) && letters <= 3 && isLetter(s[letters]) {
		letters++
	}
	n := letters
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !unicode.Is(unicode.Sc, r) {
			break
		}
		n += size
	}
	if n > letters && letters <= 3 {
		return n
	}
	if letters == 3 && currencyCodes[strings.ToUpper(s[:3])] {
		return 3
	}
	return 0
}

// currencySuffix is currencyPrefix at the end of s: "12 €", "12€",
// "12 EUR", "12 US$".
func currencySuffix(s string) int {
	n := len(s)
	for n > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:n])
		if !unicode.Is(unicode.Sc, r) {
			break
		}
		n -= size
	}
	if n < len(s) {
		letters := 0
		for n-letters > 0 && letters <= 3 && isLetter(s[n-letters-1]) {
			letters++
		}
		if letters <= 3 {
			return len(s) - n + letters
		}
		return 0
	}
	if len(s) >= 3 && currencyCodes[strings.ToUpper(s[len(s)-3:])] && (len(s) == 3 || !isLetter(s[len(s)-4])) {
		return 3
	}
	return 0
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// currencyCodes holds the ISO 4217 codes in use, plus RMB, which buyers
// write for the yuan.
var currencyCodes = func() map[string]bool {
	const codes = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
		"CAD CDF CHF CLP CNH CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD " +
		"GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP " +
		"LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN " +
		"PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB " +
		"TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG RMB"
	m := make(map[string]bool)
	for _, c := range strings.Fields(codes) {
		m[c] = true
	}
	return m
}()
