import "./styles.css";
import { startApp } from "./app";

startApp().catch((err: unknown) => {
  // The page cannot work without the shell; say so where the investigator looks.
  const line = document.createElement("p");
  line.className = "error";
  line.textContent = `Tracebench could not start: ${err instanceof Error ? err.message : String(err)}`;
  document.body.append(line);
});
