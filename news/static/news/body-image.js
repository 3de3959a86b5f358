// A picture in an article body, for django-prose-editor (loaded as an extension
// module, see DJANGO_PROSE_EDITOR_EXTENSIONS). Stored as
//   <figure data-body-image="ID" data-alt="…" data-caption="…" data-credit="…"><img src="…"></figure>
// which news/sanitize.py keeps and news/body_images.py turns into the readers' figure.
// Every text comes from the server already translated (the extension's options);
// the dialog is built with DOM calls only, so no editor text is ever parsed as HTML.
import { Node } from "django-prose-editor/editor"

const TEXTS = ["alt", "caption", "credit"]

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(properties)) {
    if (name === "text") node.textContent = value
    else node.setAttribute(name, value)
  }
  node.append(...children)
  return node
}

function csrfToken(editor) {
  const form = editor.view.dom.closest("form")
  const field = (form || document).querySelector("[name=csrfmiddlewaretoken]")
  return field ? field.value : ""
}

async function upload(editor, options, file) {
  const body = new FormData()
  body.append("image", file)
  const response = await fetch(options.uploadUrl, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken(editor), Accept: "application/json" },
  })
  const data = await response.json().catch(() => ({}))
  if (!response.ok) throw new Error(data.error || options.labels.failed)
  return data
}

async function choices(options) {
  const response = await fetch(options.choicesUrl, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  if (!response.ok) throw new Error(options.labels.failed)
  return (await response.json()).images
}

function openDialog(editor, options) {
  const labels = options.labels
  const editing = editor.isActive("bodyImage")
  const current = editing ? editor.getAttributes("bodyImage") : {}
  let chosen = editing ? { id: current.id, src: current.src } : null

  const file = element("input", { type: "file", accept: "image/jpeg,image/png,image/webp" })
  const preview = element("img", { class: "body-image-preview", alt: "" })
  const gallery = element("div", { class: "body-image-choices" })
  const error = element("p", { class: "body-image-error", role: "alert" })
  const fields = {}
  const rows = TEXTS.map((name) => {
    fields[name] = element("input", { type: "text", dir: "auto", maxlength: "300" })
    fields[name].value = current[name] || ""
    return element("label", {}, [element("span", { text: labels[name] }), fields[name]])
  })
  // Checked on submit with our own translated message, not the browser's bubble.
  fields.alt.setAttribute("aria-required", "true")
  const showChosen = () => {
    preview.hidden = !chosen
    if (chosen) preview.src = chosen.thumbnail || chosen.src
  }
  const chooseButton = element("button", { type: "button", text: labels.choose })
  chooseButton.addEventListener("click", async () => {
    error.textContent = ""
    try {
      gallery.replaceChildren(
        ...(await choices(options)).map((image) => {
          const pick = element("button", { type: "button", class: "body-image-choice" }, [
            element("img", { src: image.thumbnail, alt: "", width: "96", height: "64" }),
          ])
          pick.setAttribute("aria-label", `${labels.choose} ${image.id}`)
          pick.addEventListener("click", () => {
            chosen = image
            file.value = ""
            showChosen()
          })
          return pick
        }),
      )
    } catch (failure) {
      error.textContent = failure.message
    }
  })
  file.addEventListener("change", () => {
    if (file.files.length) {
      chosen = null
      preview.hidden = true
    }
  })
  const save = element("button", { type: "submit", class: "default", text: editing ? labels.save : labels.insert })
  const cancel = element("button", { type: "button", text: labels.cancel })
  const form = element("form", { method: "dialog" }, [
    element("h2", { text: labels.title }),
    element("label", {}, [element("span", { text: labels.upload }), file]),
    chooseButton,
    gallery,
    preview,
    ...rows,
    error,
    element("div", { class: "body-image-buttons" }, [save, cancel]),
  ])
  const dialog = element("dialog", { class: "body-image-dialog" }, [form])
  showChosen()
  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => dialog.remove())
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    error.textContent = ""
    if (!fields.alt.value.trim()) {
      error.textContent = labels.altRequired
      fields.alt.focus()
      return
    }
    save.disabled = true
    try {
      if (file.files.length) chosen = await upload(editor, options, file.files[0])
      if (!chosen) throw new Error(labels.required)
      const attrs = { id: String(chosen.id), src: chosen.src }
      for (const name of TEXTS) attrs[name] = fields[name].value.trim()
      const chain = editor.chain().focus()
      if (editing) chain.updateAttributes("bodyImage", attrs).run()
      else chain.insertContent({ type: "bodyImage", attrs }).run()
      dialog.close()
    } catch (failure) {
      error.textContent = failure.message
    } finally {
      save.disabled = false
    }
  })
  document.body.append(dialog)
  dialog.showModal()
}

const data = (name) => ({
  default: "",
  parseHTML: (node) => node.getAttribute(`data-${name}`) || "",
  renderHTML: (attributes) => (attributes[name] ? { [`data-${name}`]: attributes[name] } : {}),
})

export const BodyImage = Node.create({
  name: "bodyImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { uploadUrl: "", choicesUrl: "", labels: {} }
  },

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (node) => node.getAttribute("data-body-image"),
        renderHTML: (attributes) => ({ "data-body-image": attributes.id }),
      },
      alt: data("alt"),
      caption: data("caption"),
      credit: data("credit"),
      // What the editor shows; readers get renditions instead.
      src: {
        default: "",
        parseHTML: (node) => node.querySelector("img")?.getAttribute("src") || "",
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-body-image]" }]
  },

  renderHTML({ node, HTMLAttributes }) {
    return ["figure", HTMLAttributes, ["img", { src: node.attrs.src, alt: node.attrs.alt }]]
  },

  addMenuItems({ buttons, menu }) {
    const options = this.options
    menu.defineItem({
      name: "bodyImage",
      groups: "nodes",
      command: (editor) => openDialog(editor, options),
      button: buttons.material("image", options.labels.insert),
      active: (editor) => editor.isActive("bodyImage"),
    })
  },
})
