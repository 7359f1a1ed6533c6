// Chinese first, English on request. Only the choice of language is kept
// (localStorage), so the next visit opens in it.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en.ts";
import { zhCN } from "./zh-CN.ts";

const LANGUAGES = [
  { code: "zh-CN", name: "中文" },
  { code: "en", name: "English" },
] as const;
type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = "yunshu.console.language";

function savedLanguage(): Language["code"] {
  try {
    return LANGUAGES.find((language) => language.code === localStorage.getItem(STORAGE_KEY))?.code ?? "zh-CN";
  } catch {
    // Storage can be switched off; the default serves then.
    return "zh-CN";
  }
}

export const otherLanguage = (current: string): Language => (current === "en" ? LANGUAGES[0] : LANGUAGES[1]);

export async function switchLanguage(code: Language["code"]): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // Not remembered, still switched.
  }
  await i18n.changeLanguage(code);
}

export async function startI18n(): Promise<void> {
  i18n.on("languageChanged", (language) => {
    document.documentElement.lang = language;
  });
  await i18n.use(initReactI18next).init({
    resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
    lng: savedLanguage(),
    fallbackLng: "zh-CN",
    supportedLngs: LANGUAGES.map((language) => language.code),
    load: "currentOnly",
    // React escapes what it renders.
    interpolation: { escapeValue: false },
    initAsync: false,
    react: { useSuspense: false },
  });
}
