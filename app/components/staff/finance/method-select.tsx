import { useFinanceText } from "./finance-text";

/** Card, ATM or both, as the URL spells them (card / atm / empty). */
export function MethodSelect({ id, label, defaultValue = "" }: { id: string; label: string; defaultValue?: string }) {
  const { say } = useFinanceText();
  return (
    <div className="staff-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name="method" defaultValue={defaultValue} className="finance-select">
        <option value="">{say("method.all")}</option>
        <option value="card">{say("method.CARD")}</option>
        <option value="atm">{say("method.ATM")}</option>
      </select>
    </div>
  );
}
