// A wide table's container: it scrolls sideways instead of widening the page,
// and while it does, keyboard users can focus it to scroll it (a region named
// after the table).
import { type ReactNode, useEffect, useRef, useState } from "react";

export function Scrollable({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setOverflows(element.scrollWidth > element.clientWidth + 1);
    measure();
    // The box (a narrower window) or what is in it (another language) changes size.
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    for (const child of element.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className="overflow-auto" {...(overflows ? { tabIndex: 0, role: "region", "aria-labelledby": labelledBy } : {})}>
      {children}
    </div>
  );
}
